package io.epochring.kv.cli;

import io.epochring.CodecMismatchException;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRingException;
import io.epochring.JournalLoss;
import io.epochring.JournalLossException;
import io.epochring.RecoveryReport;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code epochring recover}: opens a store, which replays its journal above the epoch RocksDB
 * holds (never below the last durable checkpoint), reports what came back, then closes it, which flushes the replayed writes into
 * RocksDB and records a new checkpoint.
 */
@Command(name = "recover", mixinStandardHelpOptions = true, sortOptions = false,
         description = {"Reopens a store, replaying its journal, and reports what came back.",
                        "The journal is replayed above the epoch RocksDB holds; the command prints epochs, positions, watermarks",
                        "and the number of keys, then flushes the replayed writes into RocksDB and closes the store."})
final class RecoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the store directory (holding db/ and journal/)")
    Path dir;

    @Option(names = "--accept-journal-loss",
            description = {"recover even though the journal lost records (a deleted, truncated or zeroed file, or a tail lost",
                           "in a power cut): replay what is left, report how many writes were lost, and record the loss so",
                           "the store opens normally afterwards. Without it, recover refuses such a journal and changes nothing"})
    boolean acceptJournalLoss;

    @Option(names = "--adopt-codec", description = {"take a journal that names no codec (written before journals recorded theirs,",
                                                     "or its epochring-codec.id was deleted) as this store's, and record that"})
    boolean adoptCodec;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        StoreDirectory.requireStore(dir);
        PrintWriter out = spec.commandLine().getOut();
        boolean journaled = Files.isDirectory(dir.resolve("journal"));
        boolean rebuilding = !Files.isDirectory(dir.resolve("db"));
        KvOptions options = KvOptions.builder().name("recover").journal(journaled).acceptJournalLoss(acceptJournalLoss)
                                       .journalAdoptCodec(adoptCodec).build();
        long start = System.nanoTime();
        long written;
        long lost = 0;
        try (KvStore store = open(options)) {
            long openNanos = System.nanoTime() - start;
            RecoveryReport recovery = store.recovery();
            out.println("recovered   " + dir + " in " + Format.seconds(openNanos));
            if (journaled) {
                out.println("  journal     checkpoint: durable epoch " + Format.count(recovery.checkpoint().durableEpoch())
                            + " (written " + Format.count(recovery.checkpoint().writtenEpoch()) + ")");
                out.println("              replayed " + Format.count(recovery.replayed()) + " records (skipped "
                            + Format.count(recovery.rejected()) + " the store had rejected) in " + Format.seconds(recovery.nanos())
                            + (recovery.replayed() == 0 ? "" : " (" + Format.count(Math.round(recovery.recordsPerSecond())) + " records/s)")
                            + "; last journaled epoch " + Format.count(recovery.lastEpoch()));
                out.println("  positions   " + recovery.storage() + "; replayed only above it");
                recovery.sinks().forEach(sink -> out.println("              " + sink));
                JournalLoss loss = recovery.loss();
                lost = loss.lostWrites();
                if (loss.any()) {
                    out.println("  LOSS        accepted: the journal's records ended at epoch " + Format.count(loss.journalEnd())
                                + " but epochs up to " + Format.count(loss.expectedEnd()) + " were journaled; "
                                + Format.count(loss.lostWrites()) + " write" + (loss.lostWrites() == 1 ? " was" : "s were")
                                + " in neither the journal nor RocksDB and are gone");
                    loss.evidence().forEach(line -> out.println("              " + line));
                    out.println("              recorded in the journal; new writes continue after epoch " + Format.count(loss.expectedEnd()));
                }
            } else {
                out.println("  journal     none (" + dir.resolve("journal") + " does not exist): nothing to replay; writes that never"
                            + " reached RocksDB are not kept anywhere");
            }
            if (rebuilding) {
                out.println("  rocksdb     none (" + dir.resolve("db") + " did not exist): created, and rebuilt from the journal,"
                            + " which holds every write");
            } else {
                out.println("  rocksdb     " + (store.storedEpoch() == 0 ? "held no writes when opened"
                                                : "held writes up to epoch " + Format.count(store.storedEpoch()) + " when opened"));
            }
            if (journaled) {
                // Without a journal they would only repeat RocksDB's epoch, and DURABLE counts from a checkpoint there is none of.
                out.println("  watermarks  applied " + Format.count(store.watermark(DurabilityLevel.APPLIED))
                            + "  journaled " + Format.count(store.watermark(DurabilityLevel.JOURNALED))
                            + "  written " + Format.count(store.watermark(DurabilityLevel.WRITTEN))
                            + "  durable " + Format.count(store.watermark(DurabilityLevel.DURABLE)));
            }
            out.println("  keys        " + Format.count(store.forEach(null, null, entry -> { })) + " live keys");
            out.flush();
            written = store.watermark(DurabilityLevel.APPLIED);
        }
        if (!journaled) {
            out.println("  closed      nothing was replayed, so RocksDB is as it was" + (written == 0 ? ": it holds no writes"
                                                                                        : ": it holds writes up to epoch " + Format.count(written)));
        } else if (written == 0) {
            out.println("  closed      the store holds no writes");
        } else {
            out.println("  closed      flushed and synced: RocksDB holds every write up to epoch " + Format.count(written)
                        + (lost == 0 ? "" : ", except the " + Format.count(lost) + " writes the journal lost"));
        }
        out.flush();
        return EpochRingCli.OK;
    }

    private KvStore open(KvOptions options) {
        try {
            return KvStore.open(dir, options);
        } catch (JournalLossException e) {
            throw new EpochRingException(e.getMessage() + ". To recover what is left, run: epochring recover --dir " + dir
                                         + " --accept-journal-loss", e);
        } catch (CodecMismatchException e) {
            if (e.recorded() != null || adoptCodec) {
                throw e;
            }
            // A journal that names no codec: say how to adopt it with this command.
            throw new EpochRingException(e.getMessage() + ". If this store wrote it, run: epochring recover --dir " + dir
                                         + " --adopt-codec", e);
        }
    }
}
