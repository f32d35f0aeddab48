package io.epochring.journal;

import io.epochring.Journal.Checkpoint;

import java.util.List;

/**
 * A journal at a glance, from {@link JournalInspector#summary()}.
 *
 * @param firstEpoch     the epoch of the oldest write record, 0 when there is none
 * @param lastEpoch      the epoch of the newest write record, 0 when there is none
 * @param records        all records: writes and checkpoints
 * @param writes         write records, rejected ones included
 * @param rejectedWrites records of writes that {@code Delta.apply} rejected when they were written
 * @param checkpoints    checkpoint records
 * @param lastCheckpoint the newest checkpoint, or {@link Checkpoint#NONE}
 * @param files          the roll-cycle files, oldest first
 * @param bytes          bytes used by records in all files (see {@link JournalFile#usedBytes()})
 */
public record JournalSummary(long firstEpoch, long lastEpoch, long records, long writes, long rejectedWrites, long checkpoints,
                             Checkpoint lastCheckpoint, List<JournalFile> files, long bytes) {

    public JournalSummary {
        files = List.copyOf(files);
    }
}
