package io.epochring.testing;

import io.epochring.Delta;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A map delta whose apply of key {@link #GATE} waits, ignoring interrupts, until the test opens
 * the gate: the ring fills behind it and stays full, and even stop()'s interrupts cannot end it.
 */
public final class GatedDelta implements Delta<Put, Long, Map<String, Long>> {

    public static final String GATE = "gate";

    private final MapDelta map = new MapDelta();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile Throwable fault;

    /** Lets the gated apply go on; with an {@link Error}, it throws that instead of applying. */
    public void open(Throwable fault) {
        this.fault = fault;
        gate.countDown();
    }

    /** @return opened once the apply stage reached the gate */
    public CountDownLatch entered() {
        return entered;
    }

    @Override
    public Long apply(long epoch, Put write) {
        if (write.key().equals(GATE)) {
            entered.countDown();
            awaitIgnoringInterrupts(gate);
            if (fault instanceof Error error) {
                throw error;
            }
        }
        return map.apply(epoch, write);
    }

    @Override
    public long estimatedSizeBytes() {
        return map.estimatedSizeBytes();
    }

    @Override
    public Map<String, Long> view() {
        return map.view();
    }

    @Override
    public Map<String, Long> freeze() {
        return map.freeze();
    }

    /** Waits for the latch, as a thread stuck where interrupts are not checked would. */
    public static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
