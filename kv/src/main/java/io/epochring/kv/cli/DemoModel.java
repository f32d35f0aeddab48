package io.epochring.kv.cli;

import io.epochring.kv.KvStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the demo wrote, to check the store against: each key's final value is its owner's last
 * write to it, and {@link DemoWrites} builds any write's value from (producer, write index), so the
 * model keeps one int per key ({@link #BYTES_PER_KEY}).
 */
final class DemoModel {

    /** The model's heap per key: the index of the key's last write. */
    static final long BYTES_PER_KEY = Integer.BYTES;

    private final DemoWrites writes;
    private final int[] lastWrite;

    DemoModel(DemoWrites writes) {
        this.writes = writes;
        this.lastWrite = new int[writes.keyCount()];
        Arrays.fill(lastWrite, -1);
    }

    /** Producer side: records that write {@code index} of the key's owner went to key {@code k}. */
    void wrote(int k, int index) {
        lastWrite[k] = index;
    }

    /** Reads every key back and compares it with the last value written to it (or absence). */
    Verification verify(KvStore store) {
        long start = System.nanoTime();
        long matched = 0;
        List<String> problems = new ArrayList<>();
        long mismatches = 0;
        for (int k = 0; k < lastWrite.length; k++) {
            byte[] key = writes.key(k);
            byte[] expected = lastWrite[k] < 0 ? null : writes.value(writes.ownerOf(k), lastWrite[k]);
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
