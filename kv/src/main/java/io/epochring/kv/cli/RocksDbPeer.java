package io.epochring.kv.cli;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code demo --peer rocksdb}: the demo's puts on RocksDB alone, what a user would write without
 * EpochRing. A new database in a temporary directory next to the EpochRing store (so both use the
 * same file system), the same producers, keys and values ({@link DemoWrites}), and each producer
 * thread calling {@code db.put} with the write options of a {@link RocksDbDurability}. The
 * database gets the options EpochRing's own database has (RocksDB's defaults, two background
 * jobs), so what differs is only what sits in front of it. The directory is deleted at the end,
 * also when the JVM is told to stop mid-run; {@code --keep} is for the EpochRing store only.
 */
final class RocksDbPeer {

    static {
        RocksDB.loadLibrary();
    }

    /** The name the comparison prints. */
    static final String NAME = "RocksDB";
    static final String DIRECTORY_PREFIX = "epochring-peer-rocksdb-";

    private final DemoWrites writes;
    private final int writesPerProducer;
    private final RocksDbDurability durability;
    private final Path parent;
    private final PrintWriter out;
    private final PrintWriter err;

    /** @param parent where the temporary database goes */
    RocksDbPeer(DemoWrites writes, int writesPerProducer, RocksDbDurability durability, Path parent, PrintWriter out, PrintWriter err) {
        this.writes = writes;
        this.writesPerProducer = writesPerProducer;
        this.durability = durability;
        this.parent = parent;
        this.out = out;
        this.err = err;
    }

    /** Runs the puts, prints what it measured, deletes the database and returns the measurement. */
    ComparedRun run() throws Exception {
        Path dir = Files.createTempDirectory(parent, DIRECTORY_PREFIX);
        Thread hook = new Thread(() -> onShutdown(dir), "epochring-peer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println(String.format(Locale.ROOT, "%s alone: the same %d producer%s x %s puts over %s keys, %d-byte values,"
                                                   + " each producer thread calling db.put",
                                      NAME, writes.producers(), writes.producers() == 1 ? "" : "s", Format.count(writesPerProducer),
                                      Format.count(writes.keyCount()), writes.valueSize()));
            out.println("  store       " + dir + " (a new database with EpochRing's RocksDB options; deleted at the end)");
            out.println("  durability  " + durability.describe());
            out.println("  why         " + durability.why());
            out.flush();
            ComparedRun result = runIn(dir);
            out.println("  throughput  " + Format.count(result.puts()) + " puts in " + Format.seconds(result.nanos()) + " = "
                        + Format.rate(result.puts(), result.nanos()) + " puts/s"
                        + (durability.syncs() ? " (" + Format.count(result.syncs(), "WAL sync") + ", the last one after the last put)" : ""));
            return result;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook deletes the directory.
            }
            try {
                DemoShutdown.deleteTree(dir);
                out.println("  deleted     " + dir);
            } catch (IOException e) {
                err.println("epochring demo: could not delete the peer's database " + dir + " (" + e.getMessage() + "); remove it by hand");
                err.flush();
            }
            out.flush();
        }
    }

    private ComparedRun runIn(Path dir) throws Exception {
        LongAdder syncs = new LongAdder();
        try (Options options = new Options().setCreateIfMissing(true).setKeepLogFileNum(2).setMaxBackgroundJobs(2);
             RocksDB db = RocksDB.open(options, dir.toString());
             WriteOptions plain = new WriteOptions().setDisableWAL(!durability.wal()).setSync(false);
             WriteOptions synced = new WriteOptions().setSync(true)) {
            long start = System.nanoTime();
            writes.runProducers("epochring-peer-producer", producer -> writes.generate(producer, writesPerProducer, (i, k, key, value) -> {
                if (durability.syncNow(i)) {
                    db.put(synced, key, value);
                    syncs.increment();
                } else {
                    db.put(plain, key, value);
                }
            }));
            if (durability.syncs()) {
                db.syncWal();
                syncs.increment();
            }
            long nanos = System.nanoTime() - start;
            return new ComparedRun(NAME, (long) writesPerProducer * writes.producers(), nanos, syncs.sum(), durability.label());
        }
    }

    /**
     * Ctrl-C mid-run: only deletes. Closing the database under producers still writing to it
     * could crash the JVM in native code; on Linux its files can go while it is open.
     */
    private void onShutdown(Path dir) {
        try {
            DemoShutdown.deleteTree(dir);
            err.println("epochring demo: stopped; deleted the peer's temporary database " + dir);
        } catch (IOException e) {
            err.println("epochring demo: stopped; could not delete the peer's temporary database " + dir + " (" + e.getMessage()
                        + "); remove it by hand");
        }
        err.flush();
    }
}
