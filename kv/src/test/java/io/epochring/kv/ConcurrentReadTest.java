package io.epochring.kv;

import io.epochring.CoordinatorStats;
import io.epochring.DurabilityLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers run while a writer rewrites every key round after round and the store flushes every
 * few milliseconds. A half-applied flush would show as a key that is missing or older than a
 * round already completed when the read started, or as a value going backwards for one reader.
 */
class ConcurrentReadTest {

    private static final int KEYS = 500;
    private static final int ROUNDS = 150;

    @TempDir
    Path dir;

    @Test
    void shouldNeverShowReadersATornOrStaleStateWhileFlushing() throws Exception {
        KvOptions options = KvOptions.builder().journal(false).flushInterval(Duration.ofMillis(2))
                                     .flushThresholdBytes(32 << 10).build();
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try (KvStore store = KvStore.open(dir, options)) {
            AtomicLong completedRound = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            List<Future<Long>> reads = new ArrayList<>();
            reads.add(readers.submit(() -> getReader(store, completedRound, done)));
            reads.add(readers.submit(() -> getReader(store, completedRound, done)));
            reads.add(readers.submit(() -> scanReader(store, completedRound, done)));

            for (int round = 1; round <= ROUNDS; round++) {
                CompletableFuture<Long> last = null;
                for (int k = 0; k < KEYS; k++) {
                    last = store.put(key(k), value(round)).future(DurabilityLevel.APPLIED);
                }
                last.get(30, TimeUnit.SECONDS);
                completedRound.set(round);
            }
            done.set(true);

            long checks = 0;
            for (Future<Long> read : reads) {
                checks += read.get(60, TimeUnit.SECONDS);
            }
            CoordinatorStats stats = store.ring().stats();
            assertThat(stats.flushCount()).as("flushes during the run").isGreaterThan(20);
            assertThat(checks).isGreaterThan(0);
            assertThat(store.flusher().openSnapshots()).isLessThanOrEqualTo(2);
        } finally {
            readers.shutdownNow();
        }
    }

    private static long getReader(KvStore store, AtomicLong completedRound, AtomicBoolean done) {
        long[] seen = new long[KEYS];
        long checks = 0;
        while (!done.get()) {
            for (int k = 0; k < KEYS; k++) {
                long floor = completedRound.get();
                byte[] value = store.get(key(k));
                long round = value == null ? 0 : round(value);
                assertThat(round).as("key %d read after round %d completed", k, floor).isGreaterThanOrEqualTo(floor);
                assertThat(round).as("key %d went backwards for one reader", k).isGreaterThanOrEqualTo(seen[k]);
                seen[k] = round;
                checks++;
            }
        }
        return checks;
    }

    private static long scanReader(KvStore store, AtomicLong completedRound, AtomicBoolean done) {
        long checks = 0;
        while (!done.get()) {
            long floor = completedRound.get();
            List<KvEntry> entries = store.scan(null, null);
            if (floor > 0) {
                assertThat(entries).as("keys in a scan after round %d completed", floor).hasSize(KEYS);
            }
            for (KvEntry entry : entries) {
                assertThat(round(entry.value())).isGreaterThanOrEqualTo(floor);
            }
            checks++;
        }
        return checks;
    }

    private static byte[] key(int k) {
        return String.format("key-%05d", k).getBytes();
    }

    private static byte[] value(long round) {
        return ByteBuffer.allocate(Long.BYTES).putLong(round).array();
    }

    private static long round(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }
}
