package io.epochring.testing;

/**
 * A test write: set {@code key} to {@code value}. A key starting with {@code "fail"} makes
 * {@link MapDelta} refuse it.
 */
public record Put(String key, long value) {
}
