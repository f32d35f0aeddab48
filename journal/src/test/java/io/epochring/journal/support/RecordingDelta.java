package io.epochring.journal.support;

import io.epochring.Delta;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MapDelta} that records every epoch and write it is asked to apply, in order, and can be
 * told to stop inside the n-th apply until released (to hold the pipeline, or to crash mid-replay).
 */
public final class RecordingDelta implements Delta<Put, Long, Map<String, Long>> {

    /** One apply call. */
    public record Applied(long epoch, Put put) {
    }

    private final MapDelta delegate = new MapDelta();
    private final List<Applied> applied = new ArrayList<>();
    private volatile long holdAtCall = -1;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private long calls;

    /** The {@code call}-th apply (1-based) signals {@link #awaitHeld} and waits for {@link #release()}. */
    public RecordingDelta holdAt(long call) {
        holdAtCall = call;
        return this;
    }

    @Override
    public Long apply(long epoch, Put write) {
        calls++;
        synchronized (applied) {
            applied.add(new Applied(epoch, write));
        }
        if (calls == holdAtCall) {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return delegate.apply(epoch, write);
    }

    public boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    public void release() {
        release.countDown();
    }

    public List<Applied> applied() {
        synchronized (applied) {
            return List.copyOf(applied);
        }
    }

    @Override
    public long estimatedSizeBytes() {
        return delegate.estimatedSizeBytes();
    }

    @Override
    public Map<String, Long> view() {
        return delegate.view();
    }

    @Override
    public Map<String, Long> freeze() {
        return delegate.freeze();
    }
}
