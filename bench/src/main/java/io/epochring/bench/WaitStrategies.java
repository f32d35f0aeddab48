package io.epochring.bench;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * The ring consumers' wait strategies the benchmarks compare, by the name used in {@code @Param}.
 */
public final class WaitStrategies {

    /** The {@code @Param} values, in the order the report shows them. EpochRing's default (Disruptor's SleepingWaitStrategy). */
    public static final String SLEEPING = "sleeping";
    public static final String YIELDING = "yielding";
    public static final String BUSY_SPIN = "busyspin";
    public static final String BLOCKING = "blocking";

    private WaitStrategies() {
    }

    /**
     * @return a new strategy (strategies hold per-ring state, so never share one)
     * @throws IllegalArgumentException naming the known strategies
     */
    public static WaitStrategy create(String name) {
        switch (name) {
            case YIELDING:
                return new YieldingWaitStrategy();
            case BUSY_SPIN:
                return new BusySpinWaitStrategy();
            case BLOCKING:
                return new BlockingWaitStrategy();
            case SLEEPING:
                return new SleepingWaitStrategy();
            default:
                throw new IllegalArgumentException("unknown wait strategy '" + name + "': use "
                                                   + YIELDING + ", " + BUSY_SPIN + ", " + BLOCKING + " or " + SLEEPING);
        }
    }
}
