package io.epochring.kv.cli;

import io.epochring.kv.KvStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the demo wrote, to check the store against: keys are split between producers (key
 * {@code k} belongs to producer {@code k % producers}), so each key's final value is its owner's
 * last write to it, and values are a function of (producer, write index), so the model keeps one
 * int per key ({@link #BYTES_PER_KEY}); key names are a function of the key index too.
 */
final class DemoModel {

    /** The model's heap per key: the index of the key's last write. */
    static final long BYTES_PER_KEY = Integer.BYTES;
    /** {@code key-} and eight digits: the demo allows at most 100,000,000 keys. */
    static final int KEY_LENGTH = 12;
    private static final byte[] PREFIX = "key-".getBytes(StandardCharsets.US_ASCII);

    private final int producers;
    private final int valueSize;
    private final int[] lastWrite;

    DemoModel(int keyCount, int producers, int valueSize) {
        this.producers = producers;
        this.valueSize = valueSize;
        this.lastWrite = new int[keyCount];
        Arrays.fill(lastWrite, -1);
    }

    /** @return how many keys producer {@code p} owns */
    int keysOf(int producer) {
        return (lastWrite.length - producer + producers - 1) / producers;
    }

    /** @return the key index of producer {@code p}'s {@code n}-th own key */
    int keyIndex(int producer, int n) {
        return producer + n * producers;
    }

    /** @return the name of key {@code k}, {@code key-%08d}, built anew on each call: the model keeps no names */
    byte[] key(int k) {
        byte[] key = new byte[KEY_LENGTH];
        System.arraycopy(PREFIX, 0, key, 0, PREFIX.length);
        for (int i = KEY_LENGTH - 1, rest = k; i >= PREFIX.length; i--, rest /= 10) {
            key[i] = (byte) ('0' + rest % 10);
        }
        return key;
    }

    /** Producer side: records that write {@code index} of the key's owner went to key {@code k}. */
    void wrote(int k, int index) {
        lastWrite[k] = index;
    }

    /** @return the value of producer {@code p}'s write number {@code index}: deterministic, so it need not be kept */
    byte[] value(int producer, int index) {
        byte[] value = new byte[valueSize];
        long stamp = ((long) producer << 32) | (index & 0xffffffffL);
        for (int i = 0; i < valueSize; i++) {
            value[i] = i < Long.BYTES ? (byte) (stamp >>> (56 - 8 * i)) : (byte) (index * 31 + i * 7 + producer);
        }
        return value;
    }

    /** Reads every key back and compares it with the last value written to it (or absence). */
    Verification verify(KvStore store) {
        long start = System.nanoTime();
        long matched = 0;
        List<String> problems = new ArrayList<>();
        long mismatches = 0;
        for (int k = 0; k < lastWrite.length; k++) {
            byte[] key = key(k);
            byte[] expected = lastWrite[k] < 0 ? null : value(k % producers, lastWrite[k]);
            byte[] actual = store.get(key);
            if (Arrays.equals(expected, actual)) {
                matched++;
            } else {
                mismatches++;
                if (problems.size() < 3) {
                    problems.add(new String(key, StandardCharsets.US_ASCII) + ": expected " + describe(expected)
                                 + ", read " + describe(actual));
                }
            }
        }
        return new Verification(lastWrite.length, matched, mismatches, problems, System.nanoTime() - start);
    }

    private String describe(byte[] value) {
        if (value == null) {
            return "nothing";
        }
        if (value.length < Long.BYTES) {
            return value.length + " bytes";
        }
        long stamp = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            stamp = (stamp << 8) | (value[i] & 0xff);
        }
        return "write #" + (int) stamp + " of producer " + (stamp >>> 32) + " (" + value.length + " bytes)";
    }

    /** The outcome of a verification pass. */
    record Verification(long keys, long matched, long mismatches, List<String> examples, long nanos) {
        boolean ok() {
            return mismatches == 0;
        }
    }
}
