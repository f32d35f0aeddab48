package io.epochring.journal;

/**
 * One roll-cycle file of a journal, as {@link JournalInspector#summary()} found it.
 *
 * @param name           the file name, e.g. {@code 20261125-13F.cq4}
 * @param records        records in the file (writes and checkpoints)
 * @param firstEpoch     the epoch of its first write record, 0 when it has none
 * @param lastEpoch      the epoch of its last write record, 0 when it has none
 * @param usedBytes      bytes up to the end of its last record
 * @param sizeBytes      the file's length; Chronicle preallocates, so this is mostly a sparse hole
 */
public record JournalFile(String name, long records, long firstEpoch, long lastEpoch, long usedBytes, long sizeBytes) {
}
