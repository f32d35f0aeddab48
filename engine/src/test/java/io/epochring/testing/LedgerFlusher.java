package io.epochring.testing;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Storage for counter deltas: adds each frozen delta to a {@link Ledger} and, if told to, reports
 * the epoch it holds (as storage that writes its position with its data does). A flush is atomic
 * and survives a process crash, so {@link #afterCrash()} keeps everything flushed.
 */
public final class LedgerFlusher implements Flusher<Map<String, Long>, Map<String, Long>> {

    private final Ledger ledger;
    private final boolean reportsPosition;
    private volatile int syncs;
    private volatile Supplier<? extends Throwable> flushFault;
    private volatile Supplier<? extends Throwable> syncFault;

    public LedgerFlusher(boolean reportsPosition) {
        this(new Ledger(), reportsPosition);
    }

    private LedgerFlusher(Ledger ledger, boolean reportsPosition) {
        this.ledger = ledger;
        this.reportsPosition = reportsPosition;
    }

    @Override
    public Map<String, Long> snapshot() {
        return ledger.totals();
    }

    @Override
    public OptionalLong storedEpoch() {
        return reportsPosition ? OptionalLong.of(ledger.position()) : OptionalLong.empty();
    }

    @Override
    public Map<String, Long> flush(Map<String, Long> frozen, EpochRange range) {
        Faults.raise(flushFault);
        ledger.add(frozen, range);
        return ledger.totals();
    }

    @Override
    public void sync() {
        Faults.raise(syncFault);
        syncs++;
    }

    /** Every flush from now on throws what {@code fault} supplies (null: none). */
    public void failFlushes(Supplier<? extends Throwable> fault) {
        flushFault = fault;
    }

    /** Every sync from now on throws what {@code fault} supplies (null: none). */
    public void failSyncs(Supplier<? extends Throwable> fault) {
        syncFault = fault;
    }

    public Ledger ledger() {
        return ledger;
    }

    public int syncs() {
        return syncs;
    }

    /** @return storage as a restarted process finds it: everything flushed so far */
    public LedgerFlusher afterCrash() {
        return new LedgerFlusher(ledger.copy(), reportsPosition);
    }
}
