package io.epochring.testing;

import io.epochring.EpochRange;
import io.epochring.Sink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A sink a test steps through call by call: each call announces itself, then waits for the test
 * to {@link #allow} it to succeed or {@link #failNextCalls} to fail. Records what it delivered.
 */
public final class ControlledSink implements Sink<Map<String, Long>> {

    private final List<List<EpochRange>> calls = new CopyOnWriteArrayList<>();
    private final BlockingQueue<List<EpochRange>> started = new LinkedBlockingQueue<>();
    private final Semaphore permits = new Semaphore(0);
    private final Semaphore failures = new Semaphore(0);
    private volatile boolean open;

    /** A sink that delivers every call at once. */
    public static ControlledSink open() {
        ControlledSink sink = new ControlledSink();
        sink.open = true;
        return sink;
    }

    @Override
    public void accept(List<SinkDelta<Map<String, Long>>> deltas) throws Exception {
        List<EpochRange> ranges = deltas.stream().map(SinkDelta::range).toList();
        started.add(ranges);
        if (!open) {
            permits.acquire();
        }
        if (failures.tryAcquire()) {
            throw new io.epochring.TransientFlushException("archive unavailable", new java.io.IOException("connection refused"));
        }
        calls.add(ranges);
    }

    /** Lets {@code n} blocked or future calls finish. */
    public void allow(int n) {
        permits.release(n);
    }

    /** Makes the next {@code n} calls that finish throw instead of delivering. */
    public void failNextCalls(int n) {
        failures.release(n);
    }

    /** Lets every call through from now on. */
    public void openUp() {
        open = true;
        permits.release(1_000);
    }

    /** Waits for the next call to start; @return the ranges it carries. */
    public List<EpochRange> awaitCall() throws InterruptedException {
        List<EpochRange> ranges = started.poll(30, TimeUnit.SECONDS);
        if (ranges == null) {
            throw new AssertionError("no sink call started within 30 s");
        }
        return ranges;
    }

    /** @return successful calls, each the ranges it delivered, in order */
    public List<List<EpochRange>> calls() {
        return List.copyOf(calls);
    }
}
