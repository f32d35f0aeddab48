package io.epochring;

import java.util.List;

/**
 * What {@link EpochRing#start()} recovered from the journal (all zero without one).
 *
 * @param checkpoint the newest checkpoint found: every epoch up to its durable epoch was DURABLE
 * @param replayed   write records replayed into the delta (for storage or for a sink that lacked them)
 * @param rejected   write records skipped because {@link Delta#apply} rejected them when they were written
 * @param lastEpoch  the highest journaled epoch; new writes continue after it
 * @param storage    where storage stood: recovery hands it only the epochs above this position
 * @param sinks      where each secondary sink stood, in configuration order
 * @param loss       records the journal had lost, recovered over because the loss was accepted
 *                   ({@link JournalLoss#NONE} when nothing was lost)
 * @param nanos      time spent replaying
 */
public record RecoveryReport(Journal.Checkpoint checkpoint, long replayed, long rejected, long lastEpoch,
                             TargetPosition storage, List<TargetPosition> sinks, JournalLoss loss, long nanos) {

    static final RecoveryReport NONE = new RecoveryReport(Journal.Checkpoint.NONE, 0, 0, 0,
                                                          new TargetPosition("storage", 0, false), List.of(), JournalLoss.NONE, 0);

    public RecoveryReport {
        sinks = List.copyOf(sinks);
    }

    /** @return replayed records per second, 0 when nothing was replayed */
    public double recordsPerSecond() {
        return nanos == 0 ? 0 : replayed * 1e9 / nanos;
    }

    /**
     * Where one target (storage or a sink) stood at recovery.
     *
     * @param target   "storage", or "sink 'name'" for a sink
     * @param epoch    the epoch it held: it is handed only epochs above this one
     * @param reported true when the target reported it itself (exactly once); false when it was
     *                 assumed from the journal's durable checkpoint (at least once above it)
     */
    public record TargetPosition(String target, long epoch, boolean reported) {

        @Override
        public String toString() {
            return target + " at epoch " + epoch + (reported ? "" : " (assumed from the checkpoint: at least once above it)");
        }
    }
}
