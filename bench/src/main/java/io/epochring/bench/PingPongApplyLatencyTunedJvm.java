package io.epochring.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link PingPongApplyLatency}, both rows in a JVM set up the way a latency-sensitive service sets
 * up its own: the heap pre-touched ({@link Jvm#PRETOUCH}) and no G1 refinement threads
 * ({@link Jvm#NO_G1_REFINEMENT_THREADS}). On a small shared VM these two take most of the tail of
 * the default JVM's ping-pong: at 2 vCPUs, first-touch page faults and refinement-thread wakes
 * stalled one write in a hundred for 10-25 us, which set the default run's p99 rather than either
 * coordinator did. The peer runs in the same JVM, so the ratio stays a same-run comparison.
 */
@Fork(value = 2, jvmArgsAppend = {Jvm.AGRONA, Jvm.HEAP_MIN, Jvm.HEAP_MAX, Jvm.HEADLESS, Jvm.PRETOUCH, Jvm.NO_G1_REFINEMENT_THREADS})
public class PingPongApplyLatencyTunedJvm extends PingPongApplyLatency {
}
