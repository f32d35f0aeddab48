package io.epochring;

/** A sink's health, from its consecutive delivery failures. */
public enum SinkHealth {
    /** The last delivery succeeded (or none failed yet). */
    HEALTHY,
    /** At least one consecutive failure, fewer than the unhealthy threshold. */
    DEGRADED,
    /** As many consecutive failures as the threshold, or more. */
    UNHEALTHY
}
