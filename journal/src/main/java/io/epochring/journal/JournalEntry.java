package io.epochring.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One journal record as {@link JournalInspector#records(long, int)} lists it, with where it is.
 * For a {@link RecordType#WRITE} or a {@link RecordType#REJECTED_WRITE}: its epoch, channel and
 * payload; for a
 * {@link RecordType#CHECKPOINT}: its durable and written epochs ({@link #epoch()} is the durable
 * one, {@link #channel()} is null and the payload empty); for a {@link RecordType#LOST} record: the
 * lost epochs, {@link #previousEpoch()}{@code  + 1 .. }{@link #epoch()} (channel empty, payload empty).
 */
public final class JournalEntry {

    private final RecordType type;
    private final long epoch;
    private final String channel;
    private final byte[] payload;
    private final long durableEpoch;
    private final long writtenEpoch;
    private final long previousEpoch;
    private final String file;
    private final long index;
    private final long position;

    JournalEntry(RecordType type, long epoch, String channel, byte[] payload, long durableEpoch, long writtenEpoch,
                 long previousEpoch, String file, long index, long position) {
        this.type = type;
        this.epoch = epoch;
        this.channel = channel;
        this.payload = payload;
        this.durableEpoch = durableEpoch;
        this.writtenEpoch = writtenEpoch;
        this.previousEpoch = previousEpoch;
        this.file = file;
        this.index = index;
        this.position = position;
    }

    public RecordType type() {
        return type;
    }

    /** @return whether this is a write that {@code Delta.apply} rejected when it was first written */
    public boolean rejected() {
        return type == RecordType.REJECTED_WRITE;
    }

    /** @return a write's epoch, or a checkpoint's durable epoch */
    public long epoch() {
        return epoch;
    }

    /** @return a write's channel name, null for a checkpoint */
    public String channel() {
        return channel;
    }

    public int payloadLength() {
        return payload.length;
    }

    /** @return a copy of a write's encoded payload (decode it with the coordinator's codec); empty for a checkpoint */
    public byte[] payload() {
        return payload.clone();
    }

    /** @return a checkpoint's durable epoch, 0 for a write */
    public long durableEpoch() {
        return durableEpoch;
    }

    /** @return a checkpoint's written epoch, 0 for a write */
    public long writtenEpoch() {
        return writtenEpoch;
    }

    /**
     * @return for a write or a LOST record, the epoch of the write record before it in the journal
     * (0 for the first); 0 for a checkpoint
     */
    public long previousEpoch() {
        return previousEpoch;
    }

    /** @return the name of the roll-cycle file holding the record */
    public String file() {
        return file;
    }

    /** @return the record's Chronicle Queue index (cycle and sequence in one long) */
    public long index() {
        return index;
    }

    /** @return the byte offset of the record's content within its file */
    public long position() {
        return position;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof JournalEntry)) {
            return false;
        }
        JournalEntry e = (JournalEntry) o;
        return type == e.type && epoch == e.epoch && Objects.equals(channel, e.channel) && Arrays.equals(payload, e.payload)
               && durableEpoch == e.durableEpoch && writtenEpoch == e.writtenEpoch && previousEpoch == e.previousEpoch && file.equals(e.file) && index == e.index
               && position == e.position;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, epoch, channel, Arrays.hashCode(payload), file, index);
    }

    @Override
    public String toString() {
        String where = " @ " + file + " index 0x" + Long.toHexString(index);
        if (type == RecordType.LOST) {
            return "LOST epochs=" + (previousEpoch + 1) + ".." + epoch + where;
        }
        return type.isWrite()
               ? type + " epoch=" + epoch + " channel='" + channel + "' payload=" + payload.length + "B" + where
               : "CHECKPOINT durable=" + durableEpoch + " written=" + writtenEpoch + where;
    }
}
