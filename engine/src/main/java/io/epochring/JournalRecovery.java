package io.epochring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Rebuilds what the targets lack from the journal at start, exactly once for each target that
 * reports its position (see {@link Flusher#storedEpoch()}, {@link Sink#deliveredEpoch()}).
 *
 * <pre>
 *  journal   ... | checkpoint D | ... sink P ... | storage W ........ | last L
 *  replay          from min(positions) --------------------------------->
 *  delta           frozen at every position:  (P, W]  -> sink only     (W, L] stays live
 * </pre>
 *
 * First the journal is told the codec ({@link Journal#bindCodec}), so a journal another codec
 * wrote is refused before any of it is read. Each write above the lowest position is decoded and
 * applied in epoch order without journaling it again; a write the journal records as rejected is
 * skipped. The delta is frozen at every
 * target's position, so each frozen segment goes exactly to the targets below it (a target skips
 * a segment that ends at or below its position) and the part above every position stays live.
 * Replaying only reads the journal, so a crash during recovery followed by another recovery gives
 * the same state; a write that fails only now stops recovery with nothing changed on disk.
 */
final class JournalRecovery<W, R, F> {

    /** What recovery hands the pipeline. */
    record Recovered(RecoveryReport report, List<FrozenBatch> segments, long lastCut) {
    }

    private final Journal journal;
    private final WriteCodec<W> codec;
    private final Delta<W, R, F> delta;
    private final Flusher<?, ?> flusher;
    private final Map<String, EpochRingBuilder.SinkSpec<F>> sinks;
    private final boolean syncEveryFlush;

    private final List<FrozenBatch> segments = new ArrayList<>();
    private TreeSet<Long> boundaries;
    private long lastCut;
    private long lastReplayed;
    private long replayed;
    private long rejected;

    JournalRecovery(Journal journal, WriteCodec<W> codec, Delta<W, R, F> delta, Flusher<?, ?> flusher,
                    Map<String, EpochRingBuilder.SinkSpec<F>> sinks, boolean syncEveryFlush) {
        this.journal = journal;
        this.codec = codec;
        this.delta = delta;
        this.flusher = flusher;
        this.sinks = sinks;
        this.syncEveryFlush = syncEveryFlush;
    }

    Recovered run() {
        long start = System.nanoTime();
        if (journal != null) {
            // First: a journal written with another codec must not be read, let alone replayed.
            journal.bindCodec(codec.name(), codec.version());
        }
        Journal.Checkpoint checkpoint = journal == null ? Journal.Checkpoint.NONE : journal.lastCheckpoint();
        long durable = checkpoint.durableEpoch();
        RecoveryReport.TargetPosition storage = position("storage", flusher.storedEpoch(), durable);
        List<RecoveryReport.TargetPosition> sinkPositions = new ArrayList<>();
        sinks.forEach((name, spec) -> sinkPositions.add(position("sink '" + name + "'", spec.sink().deliveredEpoch(), durable)));
        List<RecoveryReport.TargetPosition> all = new ArrayList<>(sinkPositions);
        all.add(storage);
        long highest = all.stream().mapToLong(RecoveryReport.TargetPosition::epoch).max().orElse(0);
        if (journal == null) {
            // Nothing to replay: epochs go on after what the targets hold, so none is handed one twice.
            lastCut = highest;
            return new Recovered(new RecoveryReport(checkpoint, 0, 0, highest, storage, sinkPositions, System.nanoTime() - start),
                                 List.of(), highest);
        }
        if (storage.epoch() < durable) {
            throw new RecoveryFailedException("storage holds epochs up to " + storage.epoch() + " but the journal's checkpoint says"
                                              + " epochs up to " + durable + " were durable in it: storage lost synced writes (was it"
                                              + " restored from an older backup, or is it another store's?). Restore the storage that"
                                              + " belongs to this journal", 0, null, null);
        }
        long journalLast = journal.lastEpoch();
        for (RecoveryReport.TargetPosition target : all) {
            if (target.epoch() > journalLast) {
                throw new RecoveryFailedException(target.target() + " holds epochs up to " + target.epoch() + " but the journal ends at"
                                                  + " epoch " + journalLast + ": the journal lost writes (a deleted, truncated or"
                                                  + " replaced journal file?), and new epochs would repeat ones the target holds."
                                                  + " Restore the journal that belongs to this storage", 0, null, null);
            }
        }
        long from = all.stream().mapToLong(RecoveryReport.TargetPosition::epoch).min().orElse(durable);
        boundaries = new TreeSet<>();
        all.forEach(target -> {
            if (target.epoch() > from) {
                boundaries.add(target.epoch());
            }
        });
        lastCut = from;
        lastReplayed = from;
        journal.replay(from, new Replay());
        Long end = boundaries.ceiling(lastReplayed);
        if (end != null) {
            freezeUpTo(end); // the last segment some target lacks: everything replayed is frozen
        }
        long lastEpoch = Math.max(journalLast, lastReplayed);
        RecoveryReport report = new RecoveryReport(checkpoint, replayed, rejected, lastEpoch, storage, sinkPositions,
                                                   System.nanoTime() - start);
        return new Recovered(report, List.copyOf(segments), Math.max(lastCut, highest));
    }

    private static RecoveryReport.TargetPosition position(String target, OptionalLong reported, long durable) {
        return reported.isPresent() ? new RecoveryReport.TargetPosition(target, reported.getAsLong(), true)
                                    : new RecoveryReport.TargetPosition(target, durable, false);
    }

    /** Freezes what was replayed since the last cut as the segment ending at {@code boundary}. */
    private void freezeUpTo(long boundary) {
        if (lastReplayed > lastCut) {
            segments.add(new FrozenBatch(delta.freeze(), new EpochRange(lastCut + 1, boundary), syncEveryFlush));
            lastCut = boundary;
        }
    }

    private void next(long epoch, String channel) {
        if (epoch <= lastReplayed) {
            throw new JournalCorruptedException("journal replay went backwards: epoch " + epoch + " after " + lastReplayed
                                                + " (channel '" + channel + "'); the journal is damaged");
        }
        for (Long boundary; (boundary = boundaries.isEmpty() ? null : boundaries.first()) != null && epoch > boundary; ) {
            freezeUpTo(boundary);
            boundaries.pollFirst();
        }
    }

    private final class Replay implements Journal.ReplayHandler {

        @Override
        public void onWrite(long epoch, String channel, org.agrona.DirectBuffer payload, int offset, int length) {
            next(epoch, channel);
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
                throw new RecoveryFailedException("recovery stopped: the journaled write at epoch " + epoch + " on channel '" + channel
                                                  + "' was applied when it was written, but Delta.apply now fails (" + e + ")."
                                                  + " Delta.apply must be deterministic; nothing was changed on disk, so start again"
                                                  + " with a build whose delta applies it", epoch, channel, e);
            }
            lastReplayed = epoch;
            replayed++;
        }

        @Override
        public void onRejected(long epoch, String channel) {
            next(epoch, channel);
            lastReplayed = epoch;
            rejected++;
        }
    }
}
