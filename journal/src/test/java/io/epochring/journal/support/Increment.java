package io.epochring.journal.support;

/**
 * A non-idempotent test write: add {@code amount} to {@code key}. {@code seq} numbers the writes
 * of one producer (0, 1, 2, ...), so a reader of the journal can tell which ones it holds.
 */
public record Increment(String key, long amount, long seq) {
}
