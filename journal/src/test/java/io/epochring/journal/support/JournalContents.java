package io.epochring.journal.support;

import io.epochring.Journal;
import io.epochring.Journal.Checkpoint;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.JournalInspector;
import org.agrona.DirectBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every write record of an exactly-once test journal, read by replaying it from epoch 0 with a
 * fresh {@link ChronicleJournal} (no coordinator, nothing written), after checking it reads whole
 * with a {@link JournalInspector}.
 *
 * @param records    by epoch: {@code records.get(e - 1)} is epoch e's record
 * @param lastEpoch  what the journal reports as its last epoch
 * @param checkpoint the newest checkpoint
 */
public record JournalContents(List<Record> records, long lastEpoch, Checkpoint checkpoint) {

    /**
     * One write record.
     *
     * @param write the increment, or null for a write the delta rejected when it was first written
     */
    public record Record(long epoch, String channel, Increment write) {

        public boolean rejected() {
            return write == null;
        }
    }

    public JournalContents {
        records = List.copyOf(records);
    }

    /** @throws AssertionError when replay hands the same epoch twice or skips one */
    public static JournalContents read(Path journalDir) {
        try (JournalInspector inspector = JournalInspector.open(journalDir)) {
            inspector.summary(); // throws on a damaged record or file
        }
        IncrementCodec codec = new IncrementCodec();
        List<Record> records = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.builder(journalDir).build()) {
            journal.replay(0, new Journal.ReplayHandler() {
                @Override
                public void onWrite(long epoch, String channel, DirectBuffer payload, int offset, int length) {
                    add(new Record(epoch, channel, codec.decode(payload, offset, length)));
                }

                @Override
                public void onRejected(long epoch, String channel) {
                    add(new Record(epoch, channel, null));
                }

                private void add(Record record) {
                    if (record.epoch() != records.size() + 1) {
                        throw new AssertionError("journal replay handed epoch " + record.epoch() + " after " + records.size()
                                                 + ": epochs must come once each, contiguously from 1");
                    }
                    records.add(record);
                }
            });
            return new JournalContents(records, journal.lastEpoch(), journal.lastCheckpoint());
        }
    }

    /** @return the record of {@code epoch}, null when the journal does not hold it */
    public Record at(long epoch) {
        return epoch >= 1 && epoch <= records.size() ? records.get((int) (epoch - 1)) : null;
    }

    /** @return the records of one channel, in epoch order */
    public List<Record> channel(String channel) {
        return records.stream().filter(r -> r.channel().equals(channel)).toList();
    }

    /** @return the sum of the accepted increments on {@code key} at epochs up to {@code epoch} */
    public long acceptedTotal(String key, long epoch) {
        long total = 0;
        for (Record record : records.subList(0, (int) Math.min(epoch, records.size()))) {
            if (!record.rejected() && record.write().key().equals(key) && record.write().amount() <= CountingDelta.LIMIT) {
                total += record.write().amount();
            }
        }
        return total;
    }

    /** @return write records above {@code epoch} that recovery applies again (not marked rejected) */
    public long writesAbove(long epoch) {
        return records.stream().filter(r -> r.epoch() > epoch && !r.rejected()).count();
    }

    /** @return write records above {@code epoch} marked rejected */
    public long rejectedAbove(long epoch) {
        return records.stream().filter(r -> r.epoch() > epoch && r.rejected()).count();
    }
}
