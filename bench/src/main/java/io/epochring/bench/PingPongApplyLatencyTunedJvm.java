package io.epochring.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link PingPongApplyLatency}, both rows set up the way a latency-sensitive service sets up its
 * own: the heap pre-touched ({@link Jvm#PRETOUCH}), no G1 refinement threads
 * ({@link Jvm#NO_G1_REFINEMENT_THREADS}), and the producer and the applying thread pinned to cores
 * of their own ({@link Jvm#PIN_CORES}; EpochRing's through {@code onThreadStart}). On a small shared
 * VM these three take most of the tail of the default JVM's ping-pong: at 2 vCPUs, first-touch page
 * faults, refinement-thread wakes and the scheduler placing both threads on one core each stalled
 * about one write in a hundred for 8-25 us, which set the default run's p99 rather than either
 * coordinator did. The peer runs in the same JVM with its threads pinned alike, so the ratio stays a
 * same-run comparison.
 */
@Fork(value = 2, jvmArgsAppend = {Jvm.AGRONA, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS, Jvm.PRETOUCH, Jvm.NO_G1_REFINEMENT_THREADS,
                                   Jvm.PIN_CORES})
public class PingPongApplyLatencyTunedJvm extends PingPongApplyLatency {
}
