package io.epochring.kv.cli;

import io.epochring.CoordinatorFaultException;
import io.epochring.DurabilityLevel;
import io.epochring.FlushFailedException;
import io.epochring.JournalFailedException;
import io.epochring.kv.KvStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's report when its store failed (a full disk, say): it closes the store with a bounded
 * stop, then says when it stopped, how far the journal and RocksDB got, and how much space is left.
 * The fault itself is handed back for the tool to print as the one error line.
 */
final class DemoFailure {

    /** Enough to close the journal and RocksDB: a failed coordinator flushes nothing more. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final DemoWorkload.Config config;
    private final Path dir;
    private final KvStore store;
    private final CoordinatorFaultException fault;
    private final long nanos;
    private final long refused;
    private boolean keptWrites;

    DemoFailure(DemoWorkload.Config config, Path dir, KvStore store, CoordinatorFaultException fault, long nanos, long refused) {
        this.config = config;
        this.dir = dir;
        this.store = store;
        this.fault = fault;
        this.nanos = nanos;
        this.refused = refused;
    }

    /** @return the fault, to throw */
    CoordinatorFaultException report(PrintWriter out) {
        // Nothing is journaled or flushed after the fault, so these are final.
        long applied = store.watermark(DurabilityLevel.APPLIED);
        long journaled = config.journal() ? store.watermark(DurabilityLevel.JOURNALED) : 0;
        long written = store.watermark(DurabilityLevel.WRITTEN);
        long durable = store.watermark(DurabilityLevel.DURABLE);
        String stopProblem = close();

        out.println("  FAILED      at " + Format.seconds(nanos) + ": " + what() + " (the error is below); " + Format.count(applied)
                    + " writes applied" + (refused == 0 ? "" : ", then " + Format.count(refused) + " refused"));
        long kept = Math.max(journaled, written);
        keptWrites = kept > 0;
        if (config.journal() && journaled == 0) {
            out.println("  journaled   nothing: no write reached the journal" + (applied > kept ? "; the " + Format.count(applied - kept)
                        + " writes applied were never acknowledged as stored and may be lost" : ""));
        } else if (config.journal()) {
            // Writes above it may still be in the journal, complete but never committed: recover tells.
            out.println("  journaled   up to epoch " + Format.count(journaled) + ": the journal holds every write up to it, and"
                        + " 'epochring recover' brings them back" + (applied > kept ? "; the " + Format.count(applied - kept)
                        + " applied above epoch " + Format.count(kept) + " were never acknowledged as stored and may be lost" : ""));
        } else {
            out.println("  journaled   nothing (--no-journal): what RocksDB holds is what is kept" + (applied > kept ? "; the "
                        + Format.count(applied - kept) + " writes applied above epoch " + Format.count(kept) + " are lost" : ""));
        }
        out.println("  rocksdb     written up to epoch " + Format.count(written) + ", synced up to epoch " + Format.count(durable));
        if (stopProblem != null) {
            out.println("  stop        " + stopProblem);
        }
        if (causedBy(OutOfMemoryError.class)) {
            out.println("  memory      the JVM ran out of heap (at most " + Format.bytes(Runtime.getRuntime().maxMemory())
                        + "): lower --flush-bytes, --value-size or --keys, or give java more heap (java -Xmx...)");
        } else {
            String disk = disk();
            if (disk != null) {
                out.println("  disk        " + disk);
            }
        }
        out.flush();
        return fault;
    }

    /** @return whether the journal or RocksDB holds any write: only then has 'epochring recover' anything to bring back */
    boolean keptWrites() {
        return keptWrites;
    }

    /** @return what went wrong closing, or null when the store closed (reporting the fault again) */
    private String close() {
        try {
            store.close(STOP_TIMEOUT);
            return null;
        } catch (CoordinatorFaultException e) {
            return e == fault ? null : EpochRingCli.oneLine(e);
        } catch (RuntimeException e) {
            return EpochRingCli.oneLine(e);
        }
    }

    private String what() {
        if (causedBy(OutOfMemoryError.class)) {
            return "the JVM ran out of heap";
        }
        if (fault instanceof JournalFailedException) {
            return "the journal failed";
        }
        if (fault instanceof FlushFailedException) {
            return "RocksDB failed";
        }
        return "the store failed";
    }

    /** @return the free space where the store is, and how a full disk shows through a mapped file */
    private String disk() {
        try {
            FileStore fileStore = Files.getFileStore(dir);
            return Format.bytes(fileStore.getUsableSpace()) + " free of " + Format.bytes(fileStore.getTotalSpace()) + " where " + dir + " is"
                   + (causedBy(InternalError.class) ? "; a write to a memory-mapped journal file failed, which is how a full disk shows" : "");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private boolean causedBy(Class<? extends Throwable> type) {
        for (Throwable t = fault; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
