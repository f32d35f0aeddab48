package io.epochring.journal;

/** The kinds of journal record. */
public enum RecordType {
    /** One accepted write: its epoch, channel and encoded payload. */
    WRITE,
    /** Storage became durable up to an epoch: replay starts above it. */
    CHECKPOINT,
    /**
     * One write that {@code Delta.apply} rejected when it was first written: its epoch, channel and
     * encoded payload, like a {@link #WRITE}, but recovery does not apply it again.
     */
    REJECTED_WRITE,
    /**
     * Epochs lost from the journal (a deleted, truncated or zeroed file) that recovery went on
     * without because the user accepted the loss: the record's epoch is the last lost one, and the
     * lost epochs follow the write before it. Never replayed.
     */
    LOST;

    /** @return whether records of this kind are writes (accepted or rejected), with an epoch, a channel and a payload */
    public boolean isWrite() {
        return this == WRITE || this == REJECTED_WRITE;
    }
}
