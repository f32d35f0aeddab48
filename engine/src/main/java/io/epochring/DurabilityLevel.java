package io.epochring;

/**
 * How far a write has travelled; each level has a monotonic watermark on the coordinator.
 */
public enum DurabilityLevel {
    /** In the live delta and visible through the current view. Survives nothing. */
    APPLIED,
    /** Appended to the journal (needs a journal). Survives a process crash. */
    JOURNALED,
    /** Its frozen delta was accepted by {@link Flusher#flush}. Survives what storage promises. */
    WRITTEN,
    /** Storage synced after it was written; a checkpoint was recorded. Survives a machine crash. */
    DURABLE
}
