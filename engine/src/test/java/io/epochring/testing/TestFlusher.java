package io.epochring.testing;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A controllable flusher for tests: records what it was given, signals when a flush starts, can be
 * made to block until released, and to fail the next N calls with a chosen exception.
 * "Storage" is a map; each flush returns an immutable copy of it as the snapshot.
 */
public final class TestFlusher implements Flusher<Map<String, Long>, Map<String, Long>> {

    /** One flush call as it was made. */
    public record Flushed(Map<String, Long> frozen, EpochRange range) {
    }

    private final Map<String, Long> storage = new HashMap<>();
    private final List<Flushed> flushed = new CopyOnWriteArrayList<>();
    private final BlockingQueue<EpochRange> started = new LinkedBlockingQueue<>();
    private final ArrayDeque<Supplier<Exception>> failures = new ArrayDeque<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger syncs = new AtomicInteger();
    private volatile CountDownLatch gate;

    @Override
    public synchronized Map<String, Long> snapshot() {
        return Map.copyOf(storage);
    }

    @Override
    public Map<String, Long> flush(Map<String, Long> frozen, EpochRange range) throws Exception {
        calls.incrementAndGet();
        started.add(range);
        CountDownLatch g = gate;
        if (g != null) {
            g.await();
        }
        Supplier<Exception> failure;
        synchronized (this) {
            failure = failures.poll();
        }
        if (failure != null) {
            throw failure.get();
        }
        synchronized (this) {
            storage.putAll(frozen);
            flushed.add(new Flushed(Map.copyOf(frozen), range));
            return Map.copyOf(storage);
        }
    }

    @Override
    public void sync() {
        syncs.incrementAndGet();
    }

    /** Makes every flush from now on wait until {@link #release()}. */
    public void block() {
        gate = new CountDownLatch(1);
    }

    /** Lets blocked flushes (and later ones) go on. */
    public void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** The next {@code times} flush calls throw what {@code failure} supplies. */
    public synchronized void failNext(int times, Supplier<Exception> failure) {
        for (int i = 0; i < times; i++) {
            failures.add(failure);
        }
    }

    /** Waits for the next flush call to start and returns its range. */
    public EpochRange awaitFlushStarted() throws InterruptedException {
        EpochRange range = started.poll(30, TimeUnit.SECONDS);
        if (range == null) {
            throw new AssertionError("no flush started within 30 s");
        }
        return range;
    }

    /** @return the successful flushes, in order */
    public List<Flushed> flushed() {
        return List.copyOf(flushed);
    }

    /** @return flush calls made, failed ones included */
    public int calls() {
        return calls.get();
    }

    public int syncs() {
        return syncs.get();
    }

    public synchronized Map<String, Long> storage() {
        return Map.copyOf(storage);
    }
}
