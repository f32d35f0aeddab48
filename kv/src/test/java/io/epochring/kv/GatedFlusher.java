package io.epochring.kv;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the real RocksDB flusher so a test can hold flushes back: while closed, a flush signals
 * that it started and waits for {@link #open()} before writing to RocksDB.
 */
final class GatedFlusher extends ForwardingFlusher {

    private final BlockingQueue<EpochRange> started = new LinkedBlockingQueue<>();
    private final AtomicInteger flushes = new AtomicInteger();
    private volatile CountDownLatch gate;

    GatedFlusher(Flusher<KvSegment, KvSnapshot> delegate) {
        super(delegate);
    }

    @Override
    public KvSnapshot flush(KvSegment frozen, EpochRange range) throws Exception {
        started.add(range);
        CountDownLatch g = gate;
        if (g != null) {
            g.await();
        }
        KvSnapshot snapshot = delegate.flush(frozen, range);
        flushes.incrementAndGet();
        return snapshot;
    }

    /** Makes flushes from now on wait for {@link #open()}. */
    void close() {
        gate = new CountDownLatch(1);
    }

    /** Lets waiting and later flushes through. */
    void open() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Waits until a flush has started (and, if the gate is closed, is held at it). */
    EpochRange awaitStarted(Duration timeout) throws InterruptedException {
        EpochRange range = started.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (range == null) {
            throw new AssertionError("no flush started within " + timeout);
        }
        return range;
    }

    int flushes() {
        return flushes.get();
    }
}
