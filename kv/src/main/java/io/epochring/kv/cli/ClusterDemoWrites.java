package io.epochring.kv.cli;

import io.epochring.cluster.ClusterWriteException;
import io.epochring.kv.KvWrite;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The writes of {@code cluster-demo} and what the {@link io.epochring.cluster.ClusterWriter} said
 * about each: write {@code i} puts the key {@code key-<i>}, a key no other write touches, so every
 * write can be found in a node's journal and store. Outcomes are recorded on the writer's egress
 * thread and read once every future has completed.
 */
final class ClusterDemoWrites {

    /** What the writer said about a write. */
    enum Outcome {
        /** No answer yet. */
        PENDING,
        /** REPLICATED, with an epoch. */
        ACKNOWLEDGED,
        /** Failed before it was sent: it must be in no node's log. */
        NOT_SENT,
        /** Failed with an unknown outcome (a leader change, a timeout): in the log at most once. */
        UNKNOWN
    }

    private final int count;
    private final long[] submittedNs;
    private final long[] completedNs;
    private final long[] epochs;
    private final long[] leaderChanges;
    private final Outcome[] outcomes;
    private final AtomicInteger acknowledged = new AtomicInteger();

    ClusterDemoWrites(int count) {
        this.count = count;
        submittedNs = new long[count];
        completedNs = new long[count];
        epochs = new long[count];
        leaderChanges = new long[count];
        outcomes = new Outcome[count];
        Arrays.fill(outcomes, Outcome.PENDING);
    }

    int count() {
        return count;
    }

    static String key(int i) {
        return String.format(Locale.ROOT, "key-%08d", i);
    }

    static String value(int i) {
        return "value-" + i;
    }

    /** @return the index of the write that puts {@code key}, or -1 when no write of this run does */
    static int index(String key) {
        if (!key.startsWith("key-") || key.length() != 12) {
            return -1;
        }
        try {
            return Integer.parseInt(key.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static KvWrite write(int i) {
        return KvWrite.put(key(i).getBytes(StandardCharsets.UTF_8), value(i).getBytes(StandardCharsets.UTF_8));
    }

    void submitted(int i, long nanos) {
        submittedNs[i] = nanos;
    }

    /** Records write {@code i}'s answer; called once per write, on the thread that completes its future. */
    void completed(int i, Long epoch, Throwable error, long leaderChangesNow) {
        completedNs[i] = System.nanoTime();
        leaderChanges[i] = leaderChangesNow;
        if (error == null) {
            epochs[i] = epoch;
            outcomes[i] = Outcome.ACKNOWLEDGED;
            acknowledged.incrementAndGet();
        } else if (error instanceof ClusterWriteException && String.valueOf(error.getMessage()).contains("it was not sent")) {
            outcomes[i] = Outcome.NOT_SENT;
        } else {
            outcomes[i] = Outcome.UNKNOWN;
        }
    }

    /** @return writes acknowledged so far (safe to read while writing) */
    int acknowledgedSoFar() {
        return acknowledged.get();
    }

    Outcome outcome(int i) {
        return outcomes[i];
    }

    long epoch(int i) {
        return epochs[i];
    }

    long submittedNs(int i) {
        return submittedNs[i];
    }

    long completedNs(int i) {
        return completedNs[i];
    }

    /** @return how many leader changes the writer had seen when write {@code i} completed */
    long leaderChanges(int i) {
        return leaderChanges[i];
    }

    long count(Outcome outcome) {
        return Arrays.stream(outcomes).filter(o -> o == outcome).count();
    }

    /** @return the highest epoch acknowledged, 0 when none was */
    long maxEpoch() {
        return Arrays.stream(epochs).max().orElse(0);
    }
}
