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
 * int per key.
 */
final class DemoModel {

    private final int producers;
    private final int valueSize;
    private final byte[][] keys;
    private final int[] lastWrite;

    DemoModel(int keyCount, int producers, int valueSize) {
        this.producers = producers;
        this.valueSize = valueSize;
        this.keys = new byte[keyCount][];
        this.lastWrite = new int[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = String.format("key-%08d", k).getBytes(StandardCharsets.US_ASCII);
        }
        Arrays.fill(lastWrite, -1);
    }

    /** @return how many keys producer {@code p} owns */
    int keysOf(int producer) {
        return (keys.length - producer + producers - 1) / producers;
    }

    /** @return the key index of producer {@code p}'s {@code n}-th own key */
    int keyIndex(int producer, int n) {
        return producer + n * producers;
    }

    byte[] key(int k) {
        return keys[k];
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
        for (int k = 0; k < keys.length; k++) {
            byte[] expected = lastWrite[k] < 0 ? null : value(k % producers, lastWrite[k]);
            byte[] actual = store.get(keys[k]);
            if (Arrays.equals(expected, actual)) {
                matched++;
            } else {
                mismatches++;
                if (problems.size() < 3) {
                    problems.add(new String(keys[k], StandardCharsets.US_ASCII) + ": expected " + describe(expected)
                                 + ", read " + describe(actual));
                }
            }
        }
        return new Verification(keys.length, matched, mismatches, problems, System.nanoTime() - start);
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
