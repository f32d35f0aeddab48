package io.epochring;

import org.agrona.ExpandableArrayBuffer;

/**
 * Stage 2 (only with a journal): encodes each sequenced write with the user's codec and appends it
 * with its epoch and channel; commits once per ring batch and then advances JOURNALED. A write
 * that cannot be encoded is marked failed and is neither journaled nor applied.
 */
final class JournalStage<W> implements Stage {

    private final Journal journal;
    private final WriteCodec<W> codec;
    private final Watermark journaled;
    private final EpochRing<?, ?, ?, ?> ring;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private long lastAppended;
    private boolean pending;

    JournalStage(Journal journal, WriteCodec<W> codec, Watermark journaled, EpochRing<?, ?, ?, ?> ring, long lastEpoch) {
        this.journal = journal;
        this.codec = codec;
        this.journaled = journaled;
        this.ring = ring;
        this.lastAppended = lastEpoch;
    }

    @Override
    public void onSlot(Slot slot) {
        if (slot.kind == Slot.WRITE && slot.epoch > 0) {
            slot.error = append(slot.channel, slot.write, slot.epoch);
        } else if (slot.kind == Slot.RESUME) {
            for (HeldWrite write : slot.released) {
                if (write.epoch > 0) {
                    write.error = append(write.channel, write.write, write.epoch);
                }
            }
        }
    }

    @Override
    public void onBatchEnd() {
        if (pending && ring.failureCause() == null) {
            try {
                journal.commit();
            } catch (RuntimeException e) {
                // The batch may not be synced: JOURNALED must never claim it, now or later, and
                // its waiters (unlike after a storage failure) will never be journaled.
                FlushFailedException error = new FlushFailedException(new EpochRange(journaled.get() + 1, lastAppended),
                                                                      "the journal could not commit (sync) a batch", e);
                ring.fail(error);
                journaled.fail(error);
                return;
            }
            pending = false;
            journaled.advance(lastAppended);
        }
    }

    @SuppressWarnings("unchecked")
    private EpochRingException append(Channel<?, ?> channel, Object write, long epoch) {
        int length;
        try {
            length = codec.encode((W) write, buffer, 0);
        } catch (RuntimeException e) {
            return new EpochRingException("write at epoch " + epoch + " on channel '" + channel.name()
                                          + "' could not be encoded for the journal (" + e + "): it was not journaled nor applied; fix the codec or the write", e);
        }
        try {
            journal.append(epoch, channel.name(), buffer, 0, length);
        } catch (RuntimeException e) {
            return new EpochRingException("write at epoch " + epoch + " could not be appended to the journal (" + e
                                          + "): it was not applied; check the journal directory (disk space, permissions)", e);
        }
        lastAppended = epoch;
        pending = true;
        return null;
    }
}
