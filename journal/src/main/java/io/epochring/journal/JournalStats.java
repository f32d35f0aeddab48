package io.epochring.journal;

/**
 * Counters of one {@link ChronicleJournal} since it was opened, for monitoring and for checking
 * what the sync policy did.
 *
 * @param appends              write records appended, rejected writes included
 * @param commits              ring batches committed
 * @param syncs                msyncs of write records (at batch ends, per the sync policy)
 * @param syncedEpoch          the newest write epoch covered by such an msync, 0 when none
 * @param checkpoints          checkpoint records appended
 * @param checkpointSyncs      checkpoint records synced before their checkpoint call returned
 * @param syncedCheckpoint     the durable epoch of the newest synced checkpoint, 0 when none
 * @param filesDeleted         files deleted by retention
 * @param lastRetentionError   the last retention failure (retention never fails a checkpoint), or null
 */
public record JournalStats(long appends, long commits, long syncs, long syncedEpoch, long checkpoints,
                           long checkpointSyncs, long syncedCheckpoint, long filesDeleted, String lastRetentionError) {
}
