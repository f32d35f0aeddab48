package io.epochring.bench;

import io.epochring.Delta;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The benchmarks' delta: each write adds its value to a running total, about the cheapest apply a
 * real delta could have, so the benchmarks measure the coordinator around it.
 *
 * <p>Freeze swaps the live {@link Counter} for a new one (one small allocation per flush, not per
 * write). The count of applied writes is context that survives freezes. The estimated size is the
 * holder's, which does not grow, so flushes are cut by the timer and by explicit flushes only.
 *
 * <p>Design note (results): {@link #countingResults()} returns the running count, boxed, as each
 * write's result (what a waiting writer reads); {@link #withoutResults()} returns null. The
 * fire-and-forget benchmarks use the latter because nobody can read their results, and a boxed
 * {@code Long} per write would otherwise show up in {@code gc.alloc.rate.norm} as if the
 * coordinator had allocated it. Both do the same counting work.
 */
public final class CounterDelta implements Delta<Long, Long, CounterDelta.Counter> {

    /** A preboxed write of 1, so producers allocate nothing per write. */
    public static final Long ONE = 1L;

    private final boolean returnCount;
    private Counter live = new Counter();
    private long appliedCount;

    private CounterDelta(boolean returnCount) {
        this.returnCount = returnCount;
    }

    /** @return a delta whose apply result is the number of writes applied so far, this one included */
    public static CounterDelta countingResults() {
        return new CounterDelta(true);
    }

    /** @return a delta whose apply result is null (for fire-and-forget writes) */
    public static CounterDelta withoutResults() {
        return new CounterDelta(false);
    }

    @Override
    public Long apply(long epoch, Long write) {
        live.add(write);
        long count = ++appliedCount;
        return returnCount ? Long.valueOf(count) : null;
    }

    @Override
    public long estimatedSizeBytes() {
        return Counter.SIZE_BYTES;
    }

    @Override
    public Counter view() {
        return live;
    }

    @Override
    public Counter freeze() {
        Counter frozen = live;
        live = new Counter();
        return frozen;
    }

    /** @return writes applied since this delta was created, across freezes */
    public long appliedCount() {
        return appliedCount;
    }

    /**
     * One generation of the counter: the sum and number of writes applied to it. Written by the
     * apply thread only; readable from any thread.
     */
    public static final class Counter {

        static final long SIZE_BYTES = 32;

        private static final VarHandle TOTAL;
        private static final VarHandle WRITES;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                TOTAL = lookup.findVarHandle(Counter.class, "total", long.class);
                WRITES = lookup.findVarHandle(Counter.class, "writes", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long total;
        private long writes;

        void add(long value) {
            // Release stores: readers on other threads see whole values; no fence on the apply thread.
            TOTAL.setRelease(this, total + value);
            WRITES.setRelease(this, writes + 1);
        }

        public long total() {
            return (long) TOTAL.getAcquire(this);
        }

        public long writes() {
            return (long) WRITES.getAcquire(this);
        }

        @Override
        public String toString() {
            return "Counter[total=" + total() + ", writes=" + writes() + "]";
        }
    }
}
