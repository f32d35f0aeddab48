package io.epochring.kv.cli;

import io.epochring.Channel;
import io.epochring.CoordinatorFaultException;
import io.epochring.CoordinatorStats;
import io.epochring.DurabilityLevel;
import io.epochring.RecoveryReport;
import io.epochring.ThreadingMode;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.JournalStats;
import io.epochring.journal.JournalSummary;
import io.epochring.journal.SyncPolicy;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import io.epochring.kv.KvWrite;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's run: producers write puts through their own channels, most fire-and-forget and one
 * in {@code sampleEvery} awaited at every durability level; then a final durable flush, a
 * verification pass, a close and reopen (recovery), a second verification, and the summary.
 */
final class DemoWorkload {

    private static final String WHY_EMPTY = "the demo verifies every key, so it needs a new or empty directory"
                                            + " (use 'epochring recover' on an existing store)";

    /** The checked demo options, and the ring and channel sizes {@link DemoMemory} chose for them. */
    record Config(int writesPerProducer, int producers, int keys, int valueSize, boolean journal, SyncMode sync,
                  Duration syncInterval, Path dir, boolean keep, Duration flushInterval, long flushBytes,
                  ThreadingMode threading, int sampleEvery, int ringSize, int channelCapacity) {
        long totalWrites() {
            return (long) writesPerProducer * producers;
        }
    }

    /** Opens the demo's store; tests pass one that fails. */
    @FunctionalInterface
    interface StoreOpener {
        KvStore open(Path dir, KvOptions options);
    }

    private static final long FINAL_WAIT_MINUTES = 5;

    private final Config config;
    private final StoreOpener opener;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private final DemoWrites writes;
    private final DemoModel model;
    private final LatencySampler sampler;
    private boolean failed;
    /** The run as {@code --peer} compares it, once every write reached the compared durability. */
    private ComparedRun compared;
    /** Whether the store holds writes: only then is there anything for 'epochring recover' to bring back. */
    private boolean holdsWrites;

    DemoWorkload(Config config, PrintWriter out, PrintWriter err, boolean interactive) {
        this(config, out, err, interactive, KvStore::open);
    }

    DemoWorkload(Config config, PrintWriter out, PrintWriter err, boolean interactive, StoreOpener opener) {
        this.config = config;
        this.opener = opener;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.writes = new DemoWrites(config.keys(), config.producers(), config.valueSize());
        this.model = new DemoModel(writes);
        this.sampler = new LatencySampler(levels(config.journal()));
    }

    /**
     * @return the exit code: OK when every key verified, FAILURE otherwise
     * @throws CoordinatorFaultException when the store failed (a full disk, say), after reporting
     *                                   what was kept
     */
    int run() throws Exception {
        boolean temporary = config.dir() == null;
        Path dir = temporary ? Files.createTempDirectory("epochring-demo-") : StoreDirectory.prepareEmpty(config.dir(), WHY_EMPTY);
        boolean keep = config.keep() || !temporary;
        try (DemoShutdown shutdown = new DemoShutdown(dir, !keep, err).register()) {
            try {
                out.println(String.format(Locale.ROOT, "EpochRing demo: %d producer%s x %s puts over %s keys, %d-byte values",
                                          config.producers(), config.producers() == 1 ? "" : "s", Format.count(config.writesPerProducer()),
                                          Format.count(config.keys()), config.valueSize()));
                out.println("  store       " + dir + " (" + describeSetup() + ")");
                out.flush();
                return runIn(dir, shutdown);
            } catch (Exception e) {
                shutdown.awaitExitIfStopping();
                throw e;
            } finally {
                if (keep && holdsWrites) {
                    out.println("  kept        " + dir + "  (" + (failed ? "fix the cause first, then: " : "try: ") + "epochring recover --dir " + dir
                                + (config.journal() ? "; epochring inspect --dir " + dir + " --limit 10)" : ")"));
                } else if (keep) {
                    out.println("  kept        " + dir + ": no write reached it, so there is nothing to recover"
                                + (temporary || isEmpty(dir) ? "" : " (empty it before running the demo there again)"));
                } else {
                    shutdown.delete();
                    if (failed && holdsWrites) {
                        out.println("  deleted     " + dir + " (a temporary store: pass --keep or --dir to keep it for 'epochring recover')");
                    }
                }
                out.flush();
            }
        }
    }

    /** What one run measured, for the summary. */
    private record Results(long produceNanos, long durableNanos, CoordinatorStats stats, DemoModel.Verification live,
                           String journal, long dbBytes, long reopenNanos, RecoveryReport recovery, DemoModel.Verification reopened) {
        boolean ok() {
            return live.ok() && reopened.ok();
        }
    }

    private int runIn(Path dir, DemoShutdown shutdown) throws Exception {
        DemoErrors errors = new DemoErrors(err);
        KvOptions options = storeOptions(errors);
        long produceNanos;
        long durableNanos;
        CoordinatorStats stats;
        DemoModel.Verification live;
        try (KvStore store = shutdown.open(opener, options); AutoCloseable closing = () -> shutdown.close(store)) {
            long start = System.nanoTime();
            try (ProgressLine progress = new ProgressLine(err, interactive, ProgressFormat.width(System.getenv("COLUMNS")),
                                                           store.ring()::stats, store.watermark(DurabilityLevel.APPLIED),
                                                           config.totalWrites())) {
                progress.start();
                long base = store.watermark(DurabilityLevel.APPLIED);
                produce(store);
                produceNanos = System.nanoTime() - start;
                awaitComparedLevel(store, base + config.totalWrites());
                compared = new ComparedRun("EpochRing", config.totalWrites(), System.nanoTime() - start,
                                           store.journalStats().map(JournalStats::syncs).orElse(0L), describeDurability(store));
                store.flush(true).await(DurabilityLevel.DURABLE, Duration.ofMinutes(FINAL_WAIT_MINUTES));
                durableNanos = System.nanoTime() - start;
                sampler.awaitAll(FINAL_WAIT_MINUTES, TimeUnit.MINUTES);
            } catch (Exception e) {
                // Whatever surfaced first (a refused write, a failed wait), the fault is the news.
                CoordinatorFaultException fault = store.ring().failure().orElse(null);
                if (fault == null) {
                    // Not the store's failure: closing the store flushes every write it applied.
                    holdsWrites = store.watermark(DurabilityLevel.APPLIED) > 0;
                    throw e;
                }
                failed = true;
                DemoFailure failure = new DemoFailure(config, dir, store, fault, System.nanoTime() - start, errors.refused());
                CoordinatorFaultException reported = failure.report(out);
                holdsWrites = failure.keptWrites();
                throw reported;
            }
            holdsWrites = true;
            stats = store.ring().stats();
            live = model.verify(store);
        }
        String journal = config.journal() ? describeJournal(dir.resolve("journal")) : "off";
        long dbBytes = Format.directorySize(dir.resolve("db"));

        // Reopening runs recovery; the second pass reads what a restarted service would see.
        long reopenStart = System.nanoTime();
        try (KvStore store = shutdown.open(opener, options); AutoCloseable closing = () -> shutdown.close(store)) {
            long reopenNanos = System.nanoTime() - reopenStart;
            Results results = new Results(produceNanos, durableNanos, stats, live, journal, dbBytes, reopenNanos, store.recovery(),
                                          model.verify(store));
            printSummary(results);
            return results.ok() ? EpochRingCli.OK : EpochRingCli.FAILURE;
        }
    }

    private void printSummary(Results r) {
        printThroughput(r.produceNanos(), r.durableNanos());
        printLatency();
        CoordinatorStats stats = r.stats();
        out.println("  flushes     " + Format.count(stats.flushCount()) + " (mean " + Format.millis(stats.meanFlushNanos()) + ", max "
                    + Format.millis(stats.maxFlushNanos()) + ", " + stats.flushFailures() + " failed attempts)");
        out.println("  on disk     journal " + r.journal() + "; RocksDB " + Format.bytes(r.dbBytes()));
        if (config.journal()) {
            out.println("  reopen      " + Format.seconds(r.reopenNanos()) + ": checkpoint at epoch "
                        + Format.count(r.recovery().checkpoint().durableEpoch()) + ", " + Format.count(r.recovery().replayed())
                        + " journal records replayed");
        } else {
            out.println("  reopen      " + Format.seconds(r.reopenNanos()) + ": no journal to replay; RocksDB held writes up to epoch "
                        + Format.count(r.recovery().storage().epoch()));
        }
        out.println("  verify      " + describe(r.live()) + "; after reopen: " + describe(r.reopened()));
        for (String example : r.live().ok() ? r.reopened().examples() : r.live().examples()) {
            out.println("              mismatch: " + example);
        }
        out.println("  result      " + (r.ok() ? "OK" : "FAILED: the store did not return what was written"));
        out.flush();
    }

    private KvOptions storeOptions(DemoErrors errors) {
        KvOptions.Builder options = KvOptions.builder().journal(config.journal()).journalSync(syncPolicy()).name("demo")
                                             .flushInterval(config.flushInterval()).flushThresholdBytes(config.flushBytes())
                                             .threadingMode(config.threading()).ring(ring -> ring.errorHandler(errors));
        // Small channels keep the queue in front of the ring short: producers run flat out, so a
        // deep queue would only add waiting time to every sampled write's latency.
        for (int p = 0; p < config.producers(); p++) {
            options.channel("producer-" + p, config.channelCapacity());
        }
        return options.ringSize(config.ringSize()).build();
    }

    private SyncPolicy syncPolicy() {
        return switch (config.sync()) {
            case NONE -> SyncPolicy.NONE;
            case BATCH -> SyncPolicy.PER_BATCH;
            case INTERVAL -> SyncPolicy.interval(config.syncInterval());
        };
    }

    private void produce(KvStore store) throws InterruptedException, ExecutionException {
        writes.runProducers("epochring-demo-producer", producer -> produce(store, producer));
    }

    private void produce(KvStore store, int producer) throws Exception {
        Channel<KvWrite, Long> channel = store.channel("producer-" + producer);
        writes.generate(producer, config.writesPerProducer(), (i, k, key, value) -> {
            KvWrite write = KvWrite.put(key, value);
            if (i % config.sampleEvery() == 0) {
                long start = System.nanoTime();
                sampler.track(channel.write(write), start);
            } else {
                channel.publish(write);
            }
            model.wrote(k, i);
        });
    }

    /**
     * @return the run as {@code --peer} compares it: its writes, and the time until every one was
     *         JOURNALED (APPLIED without a journal); empty when the run failed before that
     */
    Optional<ComparedRun> compared() {
        return Optional.ofNullable(compared);
    }

    /** The level a peer's put matches: in the journal per its sync policy, or applied when there is none. */
    private DurabilityLevel comparedLevel() {
        return config.journal() ? DurabilityLevel.JOURNALED : DurabilityLevel.APPLIED;
    }

    private void awaitComparedLevel(KvStore store, long lastEpoch) {
        if (!store.ring().awaitWatermark(comparedLevel(), lastEpoch, Duration.ofMinutes(FINAL_WAIT_MINUTES))) {
            throw new IllegalStateException("the writes did not reach " + comparedLevel() + " within " + FINAL_WAIT_MINUTES
                                            + " minutes: the machine is overloaded, or the disk stalled; try again with fewer --writes");
        }
    }

    /** @return the durability a write had when the run counted it done, in a few words, for the comparison's table */
    private String describeDurability(KvStore store) {
        if (!config.journal()) {
            return "no journal; APPLIED";
        }
        return switch (config.sync()) {
            case NONE -> "journal, never msynced; JOURNALED";
            case BATCH -> {
                JournalStats stats = store.journalStats().orElseThrow();
                yield "journal msynced per ring batch, " + Format.count(RocksDbDurability.writesPerSync(stats.appends(), stats.syncs(),
                                                                                                         config.writesPerProducer()))
                      + " writes each on average; JOURNALED";
            }
            case INTERVAL -> "journal msynced every " + Format.duration(config.syncInterval()) + "; JOURNALED";
        };
    }

    private void printThroughput(long produceNanos, long durableNanos) {
        out.println("  throughput  " + Format.count(config.totalWrites()) + " writes in " + Format.seconds(produceNanos) + " = "
                    + Format.rate(config.totalWrites(), produceNanos) + " writes/s (all DURABLE after " + Format.seconds(durableNanos) + ")");
    }

    private void printLatency() {
        List<DurabilityLevel> levels = levels(config.journal());
        out.println("  latency     us from submit to level, " + Format.count(sampler.histogram(DurabilityLevel.APPLIED).getTotalCount())
                    + " sampled writes (1 in " + config.sampleEvery() + ")");
        out.println(String.format(Locale.ROOT, "              %-10s %9s %9s %9s %9s %9s", "level", "p50", "p90", "p99", "p99.9", "max"));
        for (DurabilityLevel level : levels) {
            Histogram h = sampler.histogram(level);
            out.println(String.format(Locale.ROOT, "              %-10s %9s %9s %9s %9s %9s", level, Format.micros(h.getValueAtPercentile(50)),
                                      Format.micros(h.getValueAtPercentile(90)), Format.micros(h.getValueAtPercentile(99)),
                                      Format.micros(h.getValueAtPercentile(99.9)), Format.micros(h.getMaxValue())));
        }
    }

    private String describeSetup() {
        String journal = !config.journal() ? "no journal"
            : "journal sync " + config.sync().name().toLowerCase(Locale.ROOT)
              + (config.sync() == SyncMode.INTERVAL ? " every " + Format.duration(config.syncInterval()) : "");
        return journal + "; flush every " + Format.duration(config.flushInterval()) + " or " + Format.bytes(config.flushBytes())
               + "; " + (config.threading() == ThreadingMode.SINGLE_THREAD ? "single-thread" : "thread-per-stage") + " ring of "
               + Format.count(config.ringSize()) + " slots";
    }

    /** Chronicle preallocates sparse files, so the size that matters is what the records use. */
    private static String describeJournal(Path journal) {
        try (JournalInspector inspector = JournalInspector.open(journal)) {
            JournalSummary summary = inspector.summary();
            return Format.count(summary.writes(), "write") + " + " + Format.count(summary.checkpoints(), "checkpoint") + ", "
                   + Format.bytes(summary.bytes()) + " in " + summary.files().size() + " file" + (summary.files().size() == 1 ? "" : "s");
        }
    }

    private static String describe(DemoModel.Verification v) {
        return Format.count(v.keys()) + " keys " + (v.ok() ? "all match" : Format.count(v.mismatches()) + " MISMATCHED")
               + " (" + Format.seconds(v.nanos()) + ")";
    }

    private static List<DurabilityLevel> levels(boolean journal) {
        return Stream.of(DurabilityLevel.values()).filter(l -> journal || l != DurabilityLevel.JOURNALED).toList();
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
