package io.epochring.journal;

/** The kinds of journal record. */
public enum RecordType {
    /** One accepted write: its epoch, channel and encoded payload. */
    WRITE,
    /** Storage became durable up to an epoch: replay starts above it. */
    CHECKPOINT
}
