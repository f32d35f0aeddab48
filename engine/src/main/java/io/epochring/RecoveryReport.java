package io.epochring;

/**
 * What {@link EpochRing#start()} recovered from the journal (all zero without one).
 *
 * @param checkpoint    the newest checkpoint found: replay started above its durable epoch
 * @param replayed      write records replayed into the delta
 * @param lastEpoch     the highest journaled epoch; new writes continue after it
 * @param nanos         time spent replaying
 */
public record RecoveryReport(Journal.Checkpoint checkpoint, long replayed, long lastEpoch, long nanos) {

    static final RecoveryReport NONE = new RecoveryReport(Journal.Checkpoint.NONE, 0, 0, 0);

    /** @return replayed records per second, 0 when nothing was replayed */
    public double recordsPerSecond() {
        return nanos == 0 ? 0 : replayed * 1e9 / nanos;
    }
}
