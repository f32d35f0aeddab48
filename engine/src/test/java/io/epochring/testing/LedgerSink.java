package io.epochring.testing;

import io.epochring.Sink;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * A secondary sink for counter deltas that adds what it receives to a {@link Ledger}, optionally
 * reports the epoch it delivered, and can be held (each call waits until {@link #release()}).
 */
public final class LedgerSink implements Sink<Map<String, Long>> {

    private final Ledger ledger;
    private final boolean reportsPosition;
    private volatile CountDownLatch gate;
    private volatile Supplier<? extends Throwable> deliveryFault;

    public LedgerSink(boolean reportsPosition) {
        this(new Ledger(), reportsPosition);
    }

    private LedgerSink(Ledger ledger, boolean reportsPosition) {
        this.ledger = ledger;
        this.reportsPosition = reportsPosition;
    }

    @Override
    public void accept(List<SinkDelta<Map<String, Long>>> deltas) throws InterruptedException {
        CountDownLatch g = gate;
        if (g != null) {
            g.await();
        }
        Faults.raise(deliveryFault);
        for (SinkDelta<Map<String, Long>> delta : deltas) {
            ledger.add(delta.frozen(), delta.range());
        }
    }

    @Override
    public OptionalLong deliveredEpoch() {
        return reportsPosition ? OptionalLong.of(ledger.position()) : OptionalLong.empty();
    }

    /** Makes every call from now on wait until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    /** Every delivery from now on throws what {@code fault} supplies (null: none). */
    public void failDeliveries(Supplier<? extends Throwable> fault) {
        deliveryFault = fault;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** @return the sink as a restarted process finds it: everything delivered so far */
    public LedgerSink afterCrash() {
        return new LedgerSink(ledger.copy(), reportsPosition);
    }
}
