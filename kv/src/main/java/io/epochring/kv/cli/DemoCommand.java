package io.epochring.kv.cli;

import io.epochring.ThreadingMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code epochring demo}: parses and checks the options, then runs a {@link DemoWorkload}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
         description = {"Runs a write workload on a journaled RocksDB store and reports on it.",
                        "Producers write puts through their own channels while a progress line on stderr shows writes done",
                        "of total, ETA, writes/s, the watermarks and flushes (fitted to $COLUMNS, else 80 columns); then it prints throughput, latency per durability level,",
                        "flushes and journal size, and reads every key back, before and after reopening the store",
                        "(exit code 1 when a key does not match). With --peer rocksdb it then runs the same puts on RocksDB alone",
                        "at the matching durability and prints both side by side."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--writes", paramLabel = "N", converter = Converters.Count.class, defaultValue = "1000000",
            description = "puts per producer (default: ${DEFAULT-VALUE}); accepts 1_000_000 or 1M")
    long writes;

    @Option(names = "--producers", paramLabel = "N", defaultValue = "2", description = "producer threads, one channel each (default: ${DEFAULT-VALUE})")
    int producers;

    @Option(names = "--keys", paramLabel = "N", converter = Converters.Count.class, defaultValue = "100000",
            description = "distinct keys, split between producers, at most 100M and what the heap holds"
                          + " (4 bytes a key) (default: ${DEFAULT-VALUE})")
    long keys;

    @Option(names = "--value-size", paramLabel = "BYTES", converter = Converters.Size.class, defaultValue = "100",
            description = "bytes per value, 8 to 1MiB; large values get a smaller ring and channels (default: ${DEFAULT-VALUE})")
    long valueSize;

    @Option(names = "--sync", paramLabel = "POLICY", defaultValue = "none",
            description = "journal sync policy: none (page cache; survives a process crash), batch (msync per ring batch),"
                          + " interval (msync every --sync-interval) (default: ${DEFAULT-VALUE})")
    SyncMode sync;

    @Option(names = "--sync-interval", paramLabel = "DURATION", converter = Converters.Time.class, defaultValue = "50ms",
            description = "journal sync period for --sync interval, 1us to 24h (default: ${DEFAULT-VALUE})")
    Duration syncInterval;

    @Option(names = "--no-journal", description = "run without a journal (no JOURNALED level, no recovery of unflushed writes)")
    boolean noJournal;

    @Option(names = "--dir", paramLabel = "DIR", description = "store directory, new or empty (default: a temporary directory)")
    Path dir;

    @Option(names = "--keep", description = "keep the temporary directory at the end (for recover and inspect)")
    boolean keep;

    @Option(names = "--flush-interval", paramLabel = "DURATION", converter = Converters.Time.class, defaultValue = "200ms",
            description = "flush the delta to RocksDB at least this often, 1ms to 24h (default: ${DEFAULT-VALUE})")
    Duration flushInterval;

    @Option(names = "--flush-bytes", paramLabel = "SIZE", converter = Converters.Size.class, defaultValue = "64MiB",
            description = "flush when the delta holds about this much; up to 4 such deltas must fit in the heap"
                          + " (default: ${DEFAULT-VALUE})")
    long flushBytes;

    @Option(names = "--threading", paramLabel = "MODE", converter = Converters.Threading.class, defaultValue = "single",
            description = "single (one ring thread for all stages) or per-stage (default: ${DEFAULT-VALUE})")
    ThreadingMode threading;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "256",
            description = "await one write in N at every durability level for the latency summary (default: ${DEFAULT-VALUE})")
    int sampleEvery;

    @Option(names = "--peer", paramLabel = "SYSTEM", converter = Converters.PeerName.class,
            description = {"then run the same puts on SYSTEM alone, at the matching durability, and print both side by side"
                           + " with the ratio of their throughputs. Peers: rocksdb (producer threads calling db.put on a new"
                           + " temporary database, deleted at the end; WAL disabled for --no-journal, unsynced for --sync none,"
                           + " synced by every N-th put for --sync batch, N being EpochRing's writes per journal msync)"})
    Peer peer;

    @Mixin
    VerboseOption verbose;

    private final boolean interactive;

    DemoCommand(boolean interactive) {
        this.interactive = interactive;
    }

    /** Longer intervals are "never" for a demo: flushes and syncs then come only from size and the final flush. */
    static final Duration MAX_INTERVAL = Duration.ofHours(24);
    static final Duration MIN_FLUSH_INTERVAL = Duration.ofMillis(1);
    static final Duration MIN_SYNC_INTERVAL = Duration.ofNanos(1_000);
    static final long MAX_KEYS = 100_000_000;

    @Override
    public Integer call() throws Exception {
        check(writes > 0 && writes <= Integer.MAX_VALUE, "--writes must be between 1 and " + Format.count(Integer.MAX_VALUE) + ", was " + writes);
        check(producers > 0 && producers <= 64, "--producers must be between 1 and 64, was " + producers);
        check(keys >= producers && keys <= MAX_KEYS, "--keys must be between --producers (" + producers + ") and "
                                                     + Format.count(MAX_KEYS) + ", was " + Format.count(keys));
        check(valueSize >= 8 && valueSize <= 1 << 20, "--value-size must be between 8 and 1048576 bytes, was " + valueSize);
        checkInterval("--sync-interval", syncInterval, MIN_SYNC_INTERVAL);
        checkInterval("--flush-interval", flushInterval, MIN_FLUSH_INTERVAL);
        check(flushBytes > 0, "--flush-bytes must be > 0, was " + flushBytes);
        check(sampleEvery > 0, "--sample-every must be > 0, was " + sampleEvery);
        check(!(noJournal && sync != SyncMode.NONE), "--sync " + sync.name().toLowerCase() + " needs the journal: drop --no-journal");
        DemoMemory memory = new DemoMemory(keys, producers, valueSize, flushBytes);
        String refusal = memory.refusal(Runtime.getRuntime().maxMemory());
        check(refusal == null, refusal);
        DemoWorkload.Config config = new DemoWorkload.Config((int) writes, producers, (int) keys, (int) valueSize, !noJournal, sync,
                                                             syncInterval, dir, keep, flushInterval, flushBytes, threading, sampleEvery,
                                                             memory.ringSize, memory.channelCapacity);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoWorkload workload = new DemoWorkload(config, out, err, interactive);
        int exit = workload.run();
        if (peer == null) {
            return exit;
        }
        ComparedRun epochRing = workload.compared().orElse(null);
        if (exit != EpochRingCli.OK || epochRing == null) {
            out.println("  peer        " + peer.optionName() + " not run: the EpochRing run did not succeed, so there is nothing to compare");
            out.flush();
            return exit;
        }
        out.println();
        RocksDbDurability durability = RocksDbDurability.matching(config, epochRing.puts(), epochRing.syncs());
        ComparedRun rocksDb = new RocksDbPeer(new DemoWrites(config.keys(), config.producers(), config.valueSize()), config.writesPerProducer(),
                                              durability, peerParent(), out, err).run();
        out.println();
        new PeerComparison(epochRing, rocksDb).print(out);
        return exit;
    }

    /** The peer's database goes next to the EpochRing store, so both use the same file system. */
    private Path peerParent() {
        Path parent = dir == null ? null : dir.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private void checkInterval(String option, Duration interval, Duration min) {
        check(interval.compareTo(min) >= 0 && interval.compareTo(MAX_INTERVAL) <= 0,
              option + " must be between " + Format.duration(min) + " and " + Format.duration(MAX_INTERVAL) + ", was " + typed(option));
    }

    /** @return the option's value as it was typed (or its default) */
    private String typed(String option) {
        OptionSpec matched = spec.commandLine().getParseResult().matchedOption(option);
        List<String> values = matched == null ? List.of() : matched.stringValues();
        return values.isEmpty() ? spec.findOption(option).defaultValue() : values.get(values.size() - 1);
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
