package io.epochring.bench.peer;

import io.epochring.Delta;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A test delta over {@code "producer:sequence"} strings: records every (epoch, write) it applies,
 * returns the running count, refuses writes starting with {@code "fail"}, and can be made to block
 * inside apply until released, which fills the peer's queue deterministically.
 */
final class RecordingDelta implements Delta<String, Long, List<String>> {

    record Applied(long epoch, String write) {
    }

    private final List<Applied> applied = new ArrayList<>();
    private List<String> live = new ArrayList<>();
    private long count;
    private volatile CountDownLatch gate;
    private final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public Long apply(long epoch, String write) throws InterruptedException {
        entered.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            g.await();
        }
        if (write.startsWith("fail")) {
            throw new IllegalArgumentException("write '" + write + "' is refused by the test delta");
        }
        synchronized (this) {
            applied.add(new Applied(epoch, write));
            live.add(write);
        }
        return ++count;
    }

    @Override
    public long estimatedSizeBytes() {
        return live.size() * 16L;
    }

    @Override
    public synchronized List<String> view() {
        return List.copyOf(live);
    }

    @Override
    public synchronized List<String> freeze() {
        List<String> frozen = live;
        live = new ArrayList<>();
        return frozen;
    }

    /** Every apply from now on waits inside the delta until {@link #release()}. */
    void block() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Waits until the apply thread is inside apply (blocked, if {@link #block()} was called). */
    void awaitFirstApply() throws InterruptedException {
        entered.await();
    }

    synchronized List<Applied> applied() {
        return List.copyOf(applied);
    }
}
