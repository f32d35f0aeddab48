package io.epochring;

import java.util.List;

/**
 * Rebuilds the delta from the journal at start: every write above the last checkpoint's durable
 * epoch is decoded and applied in epoch order, without journaling it again. A write whose apply
 * fails fails again, exactly as it did the first time (its epoch is still used). Replaying only
 * reads the journal, so a crash during recovery followed by another recovery gives the same state.
 */
final class JournalRecovery<W, R, F> {

    private final Journal journal;
    private final WriteCodec<W> codec;
    private final Delta<W, R, F> delta;

    JournalRecovery(Journal journal, WriteCodec<W> codec, Delta<W, R, F> delta) {
        this.journal = journal;
        this.codec = codec;
        this.delta = delta;
    }

    RecoveryReport run() {
        long start = System.nanoTime();
        Journal.Checkpoint checkpoint = journal.lastCheckpoint();
        long[] last = {checkpoint.durableEpoch()};
        long replayed = journal.replay(checkpoint.durableEpoch(), (epoch, channel, payload, offset, length) -> {
            if (epoch <= last[0]) {
                throw new JournalCorruptedException("journal replay went backwards: epoch " + epoch + " after " + last[0]
                                                    + " (channel '" + channel + "'); the journal is damaged");
            }
            W write;
            try {
                write = codec.decode(payload, offset, length);
            } catch (RuntimeException e) {
                throw new JournalCorruptedException("journal record at epoch " + epoch + " (channel '" + channel
                                                    + "') could not be decoded: " + e, e);
            }
            try {
                delta.apply(epoch, write);
            } catch (Exception e) {
                // The same write failed the same way when it was first applied; its caller was told then.
            }
            last[0] = epoch;
        });
        long lastEpoch = Math.max(journal.lastEpoch(), last[0]);
        RecoveryReport.TargetPosition storage = new RecoveryReport.TargetPosition("storage", checkpoint.durableEpoch(), false);
        return new RecoveryReport(checkpoint, replayed, 0, lastEpoch, storage, List.of(), System.nanoTime() - start);
    }
}
