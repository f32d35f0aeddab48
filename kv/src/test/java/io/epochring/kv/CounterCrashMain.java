package io.epochring.kv;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRange;
import io.epochring.Flusher;
import io.epochring.RecoveryReport;
import io.epochring.WriteHandle;
import io.epochring.journal.SyncPolicy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link CounterCrashTest}: opens the store (recovering what an earlier child
 * left), then counts until it is killed: producer thread {@code t} adds 1 to key
 * {@code counter-t} through its own channel, keeping up to {@code window} adds in flight, and
 * prints {@code ACK t seq epoch value} once the {@code seq}-th of them is JOURNALED ({@code value}
 * is the counter the add returned). The flusher prints {@code FLUSH n first last} when its
 * {@code n}-th flush starts, {@code FLUSHED n first last} once RocksDB has it, and
 * {@code SYNC n} / {@code SYNCED n} around each sync; at the marker and count it is told, it
 * prints {@code PAUSED} and stops there, so the parent's kill lands at that point of the flush.
 * Lines end with " ." so the parent can drop one cut short by the kill.
 *
 * <p>Every line goes to a log file first, one write call per line, so everything logged before a
 * SIGKILL is in the page cache and the parent counts acknowledgements from it; then to stdout,
 * which tells the parent how far the child got (the last lines of a pipe can be lost when the
 * writer is killed).
 *
 * <p>Args: store directory, log file, threads, window, syncEveryFlush, journal sync (NONE,
 * PER_BATCH, INTERVAL), flush interval in ms, pause marker (FLUSH, FLUSHED, SYNCED or NONE),
 * pause count.
 */
public final class CounterCrashMain {

    private CounterCrashMain() {
    }

    private static PrintStream log;

    public static void main(String[] args) throws IOException {
        endWithTheParent();
        Path dir = Path.of(args[0]);
        log = new PrintStream(new FileOutputStream(args[1], true), true, StandardCharsets.UTF_8);
        int threads = Integer.parseInt(args[2]);
        int window = Integer.parseInt(args[3]);
        KvOptions.Builder options = KvOptions.builder()
                                             .syncEveryFlush(Boolean.parseBoolean(args[4]))
                                             .journalSync(policy(args[5]))
                                             .flushInterval(Duration.ofMillis(Long.parseLong(args[6])))
                                             .flusherDecorator(f -> new MarkingFlusher(f, args[7], Integer.parseInt(args[8])));
        for (int t = 0; t < threads; t++) {
            options.channel(channel(t), 64);
        }
        KvStore store = KvStore.open(dir, options.build());
        RecoveryReport recovery = store.recovery();
        print("READY " + recovery.lastEpoch() + " " + recovery.storage().epoch() + " " + recovery.checkpoint().durableEpoch());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread producer = new Thread(() -> count(store, thread, window), "counter-" + t);
            producer.start();
        }
        // The producers run until the parent kills this JVM.
    }

    /** A parent that died (or was stopped) closes this JVM's stdin: end too, rather than count on unwatched. */
    private static void endWithTheParent() {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent writes nothing; only the end of the stream matters
                }
            } catch (IOException e) {
                // the same: the parent is gone
            }
            Runtime.getRuntime().halt(4);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static SyncPolicy policy(String name) {
        switch (name) {
            case "NONE":
                return SyncPolicy.NONE;
            case "PER_BATCH":
                return SyncPolicy.PER_BATCH;
            default:
                return SyncPolicy.interval(Duration.ofMillis(2));
        }
    }

    static String channel(int thread) {
        return "p" + thread;
    }

    static byte[] key(int thread) {
        return ("counter-" + thread).getBytes(StandardCharsets.UTF_8);
    }

    private static void count(KvStore store, int thread, int window) {
        try {
            Channel<KvWrite, Long> channel = store.channel(channel(thread));
            byte[] key = key(thread);
            ArrayDeque<WriteHandle<Long>> inFlight = new ArrayDeque<>(window);
            for (long seq = 1; ; seq++) {
                while (inFlight.size() < window) {
                    inFlight.add(channel.write(KvWrite.add(key, 1)));
                }
                WriteHandle<Long> oldest = inFlight.poll();
                long value = oldest.await(DurabilityLevel.JOURNALED);
                print("ACK " + thread + " " + seq + " " + oldest.epoch() + " " + value);
            }
        } catch (RuntimeException | Error e) {
            // Nothing may fail before the kill: say so, and end the JVM so the parent sees it at once.
            e.printStackTrace();
            print("FAILED " + thread + " " + e);
            Runtime.getRuntime().halt(3);
        }
    }

    private static void print(String line) {
        synchronized (CounterCrashMain.class) { // the same order in both
            log.println(line + " .");
            System.out.println(line + " .");
        }
    }

    /** The store's flusher, announcing each step and stopping at the one the parent kills at. */
    private static final class MarkingFlusher extends ForwardingFlusher {
        private final String pauseMarker;
        private final int pauseAt;
        private int flushes;
        private int syncs;

        MarkingFlusher(Flusher<KvSegment, KvSnapshot> delegate, String pauseMarker, int pauseAt) {
            super(delegate);
            this.pauseMarker = pauseMarker;
            this.pauseAt = pauseAt;
        }

        @Override
        public KvSnapshot flush(KvSegment frozen, EpochRange range) throws Exception {
            int n = ++flushes;
            print("FLUSH " + n + " " + range.first() + " " + range.last());
            pauseAt("FLUSH", n);
            KvSnapshot snapshot = delegate.flush(frozen, range);
            print("FLUSHED " + n + " " + range.first() + " " + range.last());
            pauseAt("FLUSHED", n);
            return snapshot;
        }

        @Override
        public void sync() throws Exception {
            int n = ++syncs;
            print("SYNC " + n);
            delegate.sync();
            print("SYNCED " + n);
            pauseAt("SYNCED", n);
        }

        private void pauseAt(String marker, int n) throws InterruptedException {
            if (marker.equals(pauseMarker) && n == pauseAt) {
                print("PAUSED " + marker + " " + n);
                TimeUnit.MINUTES.sleep(2); // the parent kills this JVM meanwhile
                print("NOT KILLED");
                Runtime.getRuntime().halt(5);
            }
        }
    }
}
