package io.epochring.bench;

import net.openhft.affinity.Affinity;

/**
 * Pins the ping-pong's two busy threads to cores of their own, when the fork runs with
 * {@code -Depochring.bench.pin-cores=true} (as {@link PingPongApplyLatencyTunedJvm}'s does): the
 * producer (the JMH thread) to core 0, the thread that applies (EpochRing's ring thread, the peer's
 * apply thread) to core 1. Left to the scheduler on 2 vCPUs, a ring thread that yields or sleeps
 * between writes is at times placed on the producer's core, and then waits for the spinning
 * producer to yield: measured here, 1 % of round trips took 8-12 us that way. Uses OpenHFT's
 * affinity library (sched_setaffinity through JNA), which Chronicle Queue already brings.
 */
final class CorePinning {

    static final String PROPERTY = "epochring.bench.pin-cores";
    static final int PRODUCER_CORE = 0;
    static final int APPLY_CORE = 1;
    /**
     * Whether this fork pins, on a machine with the two cores it pins to. Decided once, before any thread is pinned: a thread pinned to one core (and the threads it
     * creates) sees {@code availableProcessors()} as 1.
     */
    private static final boolean ENABLED = Boolean.getBoolean(PROPERTY) && Runtime.getRuntime().availableProcessors() > APPLY_CORE;

    private CorePinning() {
    }

    /**
     * Pins the calling thread to {@code core}, if {@link #ENABLED}. Threads it creates afterwards
     * inherit the pin, so pin a producer after starting the coordinator.
     */
    static void pinCurrentThread(int core) {
        if (ENABLED) {
            Affinity.setAffinity(core);
        }
    }

    /** For {@code EpochRingBuilder.onThreadStart}: pins the ring thread that applies, if {@link #ENABLED}. */
    static void pinApplyingRingThread(String role) {
        if (role.equals("pipeline") || role.equals("apply")) {
            pinCurrentThread(APPLY_CORE);
        }
    }
}
