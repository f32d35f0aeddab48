package io.epochring.testing;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Storage for counter deltas: adds each frozen delta to a {@link Ledger} and, if told to, reports
 * the epoch it holds (as storage that writes its position with its data does). A flush is atomic
 * and survives a process crash, so {@link #afterCrash()} keeps everything flushed.
 */
public final class LedgerFlusher implements Flusher<Map<String, Long>, Map<String, Long>> {

    private final Ledger ledger;
    private final boolean reportsPosition;
    private volatile int syncs;

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
        ledger.add(frozen, range);
        return ledger.totals();
    }

    @Override
    public void sync() {
        syncs++;
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
