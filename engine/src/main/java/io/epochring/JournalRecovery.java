package io.epochring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * skipped. The delta is frozen at every target's position, so each frozen segment goes exactly to
 * the targets below it (a target skips a segment that ends at or below its position) and the part
 * above every position stays live.
 * Replaying only reads the journal, so a crash during recovery followed by another recovery gives
 * the same state; a write that fails only now stops recovery with nothing changed on disk.
 *
 * <p>Before replaying, the journal's end is checked against everything else that recorded
 * journaled epochs: the journal's end marker and checkpoint ({@link Journal#recordedEnd()}) and the
 * targets' positions. Records ending below any of them were lost; recovery refuses
 * ({@link JournalLossException}) unless the loss is accepted, and then tells the journal so
 * ({@link Journal#acceptLoss}) only after replay has succeeded.
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
    private final boolean acceptLoss;

    private final List<FrozenBatch> segments = new ArrayList<>();
    private TreeSet<Long> boundaries;
    private long lastCut;
    private long lastReplayed;
    private long replayed;
    private long rejected;

    JournalRecovery(Journal journal, WriteCodec<W> codec, Delta<W, R, F> delta, Flusher<?, ?> flusher,
                    Map<String, EpochRingBuilder.SinkSpec<F>> sinks, boolean syncEveryFlush, boolean acceptLoss) {
        this.journal = journal;
        this.codec = codec;
        this.delta = delta;
        this.flusher = flusher;
        this.sinks = sinks;
        this.syncEveryFlush = syncEveryFlush;
        this.acceptLoss = acceptLoss;
    }

    Recovered run() {
        long start = System.nanoTime();
        if (journal == null) {
            // Nothing to replay: epochs go on after what the targets hold, so none is handed one twice.
            TargetPositions targets = new TargetPositions(0);
            long highest = targets.highest();
            lastCut = highest;
            return new Recovered(new RecoveryReport(Journal.Checkpoint.NONE, 0, 0, highest, targets.storage, targets.sinks,
                                                    JournalLoss.NONE, System.nanoTime() - start), List.of(), highest);
        }
        // First: a journal written with another codec must not be read, let alone replayed.
        journal.bindCodec(codec.name(), codec.version());
        Journal.Checkpoint found = journal.lastCheckpoint();
        long journalLast = journal.lastEpoch();
        List<String> evidence = new ArrayList<>();
        long durable = found.durableEpoch();
        long expectedEnd = journalLast;
        Optional<Journal.RecordedEnd> recorded = journal.recordedEnd();
        if (recorded.isPresent()) {
            Journal.RecordedEnd end = recorded.get();
            if (end.lastEpoch() > journalLast) {
                evidence.add("its end marker says epochs up to " + end.lastEpoch() + " were journaled, but its records end at epoch "
                             + journalLast);
                expectedEnd = end.lastEpoch();
            }
            if (end.durableEpoch() > durable) {
                evidence.add("its end marker says a checkpoint made epochs up to " + end.durableEpoch() + " durable, but its newest"
                             + " checkpoint record is of durable epoch " + durable);
                durable = end.durableEpoch(); // it was durable: targets that cannot tell their position are assumed there
                expectedEnd = Math.max(expectedEnd, durable);
            }
        }
        Journal.Checkpoint checkpoint = durable == found.durableEpoch() ? found
                                        : new Journal.Checkpoint(durable, Math.max(durable, found.writtenEpoch()));
        TargetPositions targets = new TargetPositions(durable);
        if (targets.storage.epoch() < durable) {
            throw new RecoveryFailedException("storage holds epochs up to " + targets.storage.epoch() + " but the journal's checkpoint"
                                              + " says epochs up to " + durable + " were durable in it: storage lost synced writes (was"
                                              + " it restored from an older backup, or is it another store's?). Restore the storage that"
                                              + " belongs to this journal", 0, null, null);
        }
        for (RecoveryReport.TargetPosition target : targets.all) {
            if (target.reported() && target.epoch() > journalLast) {
                evidence.add(target.target() + " holds epochs up to " + target.epoch() + " but the journal ends at epoch " + journalLast);
                expectedEnd = Math.max(expectedEnd, target.epoch());
            }
        }
        JournalLoss loss = evidence.isEmpty() ? JournalLoss.NONE : loss(journalLast, expectedEnd, targets, evidence);
        if (loss.any() && !acceptLoss) {
            throw new JournalLossException("journal " + journal + " lost records: " + String.join("; ", loss.evidence()) + ". "
                                           + loss.lostWrites() + " journaled write" + (loss.lostWrites() == 1 ? " is" : "s are")
                                           + " in neither the journal nor storage. Nothing was changed: restore the lost journal"
                                           + " files (deleted, truncated or zeroed, or a tail lost in a power cut before it was"
                                           + " synced), or accept the loss with acceptJournalLoss(true) to recover what is left"
                                           + " and continue after epoch " + expectedEnd, loss);
        }
        long from = targets.lowest();
        boundaries = new TreeSet<>();
        targets.all.forEach(target -> {
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
        if (loss.any()) {
            journal.acceptLoss(expectedEnd); // replay succeeded: only now is anything written
        }
        long lastEpoch = Math.max(Math.max(journalLast, lastReplayed), expectedEnd);
        RecoveryReport report = new RecoveryReport(checkpoint, replayed, rejected, lastEpoch, targets.storage, targets.sinks, loss,
                                                   System.nanoTime() - start);
        return new Recovered(report, List.copyOf(segments), Math.max(lastCut, targets.highest()));
    }

    /** Says what the loss costs each target: the epochs above its position that only the lost records had. */
    private JournalLoss loss(long journalLast, long expectedEnd, TargetPositions targets, List<String> evidence) {
        List<String> lines = new ArrayList<>(evidence);
        for (RecoveryReport.TargetPosition target : targets.all) {
            long firstLacked = Math.max(journalLast, target.epoch()) + 1;
            if (firstLacked <= expectedEnd) {
                lines.add(target.target() + " lacks epochs " + firstLacked + ".." + expectedEnd + ", which only the lost records had");
            }
        }
        long lostWrites = Math.max(0, expectedEnd - Math.max(journalLast, targets.storage.epoch()));
        return new JournalLoss(journalLast, expectedEnd, lostWrites, lines);
    }

    /** Where storage and each sink stand: reported, or assumed at the durable checkpoint. */
    private final class TargetPositions {
        final RecoveryReport.TargetPosition storage;
        final List<RecoveryReport.TargetPosition> sinks = new ArrayList<>();
        final List<RecoveryReport.TargetPosition> all = new ArrayList<>();

        TargetPositions(long durable) {
            storage = position("storage", flusher.storedEpoch(), durable);
            JournalRecovery.this.sinks.forEach((name, spec) -> sinks.add(position("sink '" + name + "'", spec.sink().deliveredEpoch(),
                                                                                  durable)));
            all.addAll(sinks);
            all.add(storage);
        }

        long highest() {
            return all.stream().mapToLong(RecoveryReport.TargetPosition::epoch).max().orElse(0);
        }

        long lowest() {
            return all.stream().mapToLong(RecoveryReport.TargetPosition::epoch).min().orElse(0);
        }
    }

    private static RecoveryReport.TargetPosition position(String target, OptionalLong reported, long durable) {
        return reported.isPresent() ? new RecoveryReport.TargetPosition(target, reported.getAsLong(), true)
                                    : new RecoveryReport.TargetPosition(target, durable, false);
    }

    /** Freezes what was replayed since the last cut as the segment ending at {@code boundary}. */
    private void freezeUpTo(long boundary) {
        if (lastReplayed > lastCut) {
            long bytes = delta.estimatedSizeBytes();
            segments.add(new FrozenBatch(delta.freeze(), new EpochRange(lastCut + 1, boundary), syncEveryFlush, bytes));
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
