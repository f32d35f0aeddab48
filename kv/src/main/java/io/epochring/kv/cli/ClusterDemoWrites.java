package io.epochring.kv.cli;

import io.epochring.cluster.ClusterWriteException;
import io.epochring.kv.KvWrite;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The writes of {@code cluster-demo} and what the {@link io.epochring.cluster.ClusterWriter} said
 * about each: write {@code i} puts the key {@code key-<i>}, a key no other write touches, so every
 * write can be found in a node's journal and store. Outcomes are recorded on the writer's egress
 * thread and read once every future has completed; the counters (acknowledged, highest epoch) may be
 * read while writing.
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

    /** The most writes one run makes: {@code --writes} at most, and where a {@code --duration} run stops early. */
    static final int MAX_WRITES = 10_000_000;
    private static final int CHUNK_SHIFT = 14;
    private static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;

    /** One block of writes' records: a {@code --duration} run does not know its count, so storage grows by blocks. */
    private static final class Chunk {
        final long[] submittedNs = new long[CHUNK_SIZE];
        final long[] completedNs = new long[CHUNK_SIZE];
        final long[] epochs = new long[CHUNK_SIZE];
        final long[] leaderChanges = new long[CHUNK_SIZE];
        final Outcome[] outcomes = new Outcome[CHUNK_SIZE];

        Chunk() {
            Arrays.fill(outcomes, Outcome.PENDING);
        }
    }

    private final AtomicReferenceArray<Chunk> chunks = new AtomicReferenceArray<>((MAX_WRITES >> CHUNK_SHIFT) + 1);
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicLong maxEpoch = new AtomicLong();
    private final AtomicLong maxAcknowledgedLeaderChanges = new AtomicLong();

    ClusterDemoWrites() {
    }

    /** @return the writes recorded so far: one more than the highest index submitted or completed */
    int count() {
        return count.get();
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
        count.accumulateAndGet(i + 1, Math::max);
        chunk(i).submittedNs[slot(i)] = nanos;
    }

    /** Records write {@code i}'s answer; called once per write, on the thread that completes its future. */
    void completed(int i, Long epoch, Throwable error, long leaderChangesNow) {
        count.accumulateAndGet(i + 1, Math::max);
        Chunk chunk = chunk(i);
        int slot = slot(i);
        chunk.completedNs[slot] = System.nanoTime();
        chunk.leaderChanges[slot] = leaderChangesNow;
        if (error == null) {
            chunk.epochs[slot] = epoch;
            chunk.outcomes[slot] = Outcome.ACKNOWLEDGED;
            acknowledged.incrementAndGet();
            maxEpoch.accumulateAndGet(epoch, Math::max);
            maxAcknowledgedLeaderChanges.accumulateAndGet(leaderChangesNow, Math::max);
        } else if (error instanceof ClusterWriteException && String.valueOf(error.getMessage()).contains("it was not sent")) {
            chunk.outcomes[slot] = Outcome.NOT_SENT;
        } else {
            chunk.outcomes[slot] = Outcome.UNKNOWN;
        }
    }

    /**
     * @return the most leader changes the writer had seen when it completed an acknowledged write so far: above the
     * count at a kill, a new leader has acknowledged a write (safe to read while writing)
     */
    long maxAcknowledgedLeaderChanges() {
        return maxAcknowledgedLeaderChanges.get();
    }

    /** @return writes acknowledged so far (safe to read while writing) */
    int acknowledgedSoFar() {
        return acknowledged.get();
    }

    Outcome outcome(int i) {
        return chunk(i).outcomes[slot(i)];
    }

    long epoch(int i) {
        return chunk(i).epochs[slot(i)];
    }

    long submittedNs(int i) {
        return chunk(i).submittedNs[slot(i)];
    }

    long completedNs(int i) {
        return chunk(i).completedNs[slot(i)];
    }

    /** @return how many leader changes the writer had seen when write {@code i} completed */
    long leaderChanges(int i) {
        return chunk(i).leaderChanges[slot(i)];
    }

    long count(Outcome outcome) {
        long n = 0;
        for (int i = 0; i < count(); i++) {
            if (outcome(i) == outcome) {
                n++;
            }
        }
        return n;
    }

    /** @return the highest epoch acknowledged so far, 0 when none was (safe to read while writing) */
    long maxEpoch() {
        return maxEpoch.get();
    }

    /** @return write {@code i}'s block, made by whichever thread first needs it */
    private Chunk chunk(int i) {
        if (i < 0 || i >= MAX_WRITES) {
            throw new IndexOutOfBoundsException("write " + i + " is outside 0.." + (MAX_WRITES - 1));
        }
        int c = i >>> CHUNK_SHIFT;
        Chunk chunk = chunks.get(c);
        if (chunk == null) {
            chunks.compareAndSet(c, null, new Chunk());
            chunk = chunks.get(c);
        }
        return chunk;
    }

    private static int slot(int i) {
        return i & (CHUNK_SIZE - 1);
    }
}
