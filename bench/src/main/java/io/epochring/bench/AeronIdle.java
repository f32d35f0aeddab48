package io.epochring.bench;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.function.Supplier;

/**
 * The idle strategies of the replication benchmarks' Aeron agents (media driver, archive, consensus
 * module, service container), by the name used in {@code @Param}. Every node of the benchmark
 * cluster uses one of them for all four of its agents.
 *
 * <p>Design note: a replicated write is handed from agent to agent about ten times (the client's
 * media driver, the leader's driver and consensus module, the followers' drivers, archives and
 * consensus modules, the leader's service container, back through two drivers), so an idle
 * strategy's wake-up delay is paid once per hop. The sleeping one is what the cluster module's tests use (cheap on
 * two cores, about 1 ms per hop); backoff spins and yields briefly before parking for a growing
 * time; yielding never parks, so with three nodes in one process twelve agent threads take turns
 * on the two cores.
 */
final class AeronIdle {

    /** {@code SleepingMillisIdleStrategy(1)}: the cluster module's tests and demos. */
    static final String SLEEPING = "sleeping";
    /** Agrona's {@code BackoffIdleStrategy} with its defaults: 10 spins, 5 yields, then parks of 1 µs doubling up to 1 ms. */
    static final String BACKOFF = "backoff";
    /** {@code YieldingIdleStrategy}: {@code Thread.yield()} whenever there is no work. */
    static final String YIELDING = "yielding";

    private AeronIdle() {
    }

    /**
     * @return a supplier of new strategies (an idle strategy holds per-agent state, so never share one)
     * @throws IllegalArgumentException naming the known strategies
     */
    static Supplier<IdleStrategy> supplier(String name) {
        switch (name) {
            case SLEEPING:
                return () -> new SleepingMillisIdleStrategy(1);
            case BACKOFF:
                return BackoffIdleStrategy::new;
            case YIELDING:
                return YieldingIdleStrategy::new;
            default:
                throw new IllegalArgumentException("unknown Aeron idle strategy '" + name + "': use "
                                                   + SLEEPING + ", " + BACKOFF + " or " + YIELDING);
        }
    }
}
