package io.epochring.kv.cli;

import io.epochring.JournalCorruptedException;
import io.epochring.journal.CodecIdentity;
import io.epochring.journal.JournalEntry;
import io.epochring.journal.JournalFile;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.JournalSummary;
import io.epochring.journal.RecordType;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvWrite;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;

/**
 * {@code epochring inspect}: a journal's codec, summary (files, epochs, last checkpoint) and its
 * records from an epoch on, each write decoded as a put, delete or add (and marked when the store
 * rejected it), unless the journal names another codec.
 * Reads without locking, so it works on the journal of a running store. Records are printed as they
 * are read, so any {@code --limit} runs in bounded memory.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
         description = {"Dumps a journal: summary, records and checkpoints.",
                        "Prints the journal's codec, files, epochs and last checkpoint, then its records from an epoch on",
                        "(writes decoded as puts, deletes and adds). Safe while a store is writing the journal."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "a store directory (its journal/ is read) or a journal directory")
    Path dir;

    @Option(names = "--from", paramLabel = "EPOCH", converter = Converters.Count.class, defaultValue = "0",
            description = "first write epoch to list (default: the start)")
    long from;

    @Option(names = "--limit", paramLabel = "N", converter = Converters.Count.class, defaultValue = "20",
            description = "records to list, at least 1; they stream, so any number fits in memory (default: ${DEFAULT-VALUE})")
    long limit;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        Path journal = StoreDirectory.journalOf(dir);
        JournalInspector inspector;
        try {
            inspector = JournalInspector.open(journal);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try (inspector) {
            Codec codec = Codec.of(inspector);
            JournalSummary summary = inspector.summary();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                json(inspector, journal, codec, summary, out);
            } else {
                text(inspector, journal, codec, summary, out);
            }
            out.flush();
        }
        return EpochRingCli.OK;
    }

    private void text(JournalInspector inspector, Path journal, Codec codec, JournalSummary summary, PrintWriter out) {
        out.println(summaryText(journal, codec, summary));
        out.print("records from " + describeFrom(summary) + " (at most " + Format.count(limit) + "):");
        long listed = inspector.forEach(from, limit, entry -> {
            out.println();
            out.print(recordText(codec, entry));
        });
        out.println(listed == 0 ? " none" : "");
    }

    /** Epochs start at 1, so the default --from 0 (or any epoch before the journal's first) is its start. */
    private String describeFrom(JournalSummary summary) {
        long first = summary.writes() == 0 ? 1 : Math.max(1, summary.firstEpoch());
        return from <= first ? "the start" : "epoch " + Format.count(from);
    }

    private static String summaryText(Path journal, Codec codec, JournalSummary summary) {
        StringBuilder s = new StringBuilder();
        s.append("journal     ").append(journal).append('\n');
        s.append("  codec       ").append(codec.describe()).append('\n');
        s.append("  records     ").append(Format.count(summary.records())).append(": ").append(Format.count(summary.writes()))
         .append(" writes").append(summary.writes() == 0 ? "" : " (epochs " + Format.count(summary.firstEpoch()) + ".."
                                                                 + Format.count(summary.lastEpoch()) + ")")
         .append(summary.rejectedWrites() == 0 ? "" : ", " + Format.count(summary.rejectedWrites()) + " of them rejected")
         .append(", ").append(Format.count(summary.checkpoints(), "checkpoint")).append('\n');
        s.append("  checkpoint  ").append(summary.checkpoints() == 0 ? "none yet"
                                                                     : "durable " + Format.count(summary.lastCheckpoint().durableEpoch())
                                                                       + ", written " + Format.count(summary.lastCheckpoint().writtenEpoch()))
         .append('\n');
        s.append("  files       ").append(summary.files().size()).append(", ").append(Format.bytes(summary.bytes())).append(" used");
        for (JournalFile file : summary.files()) {
            s.append("\n              ").append(file.name()).append(": ").append(Format.count(file.records(), "record"))
             .append(file.lastEpoch() == 0 ? "" : ", epochs " + Format.count(file.firstEpoch()) + ".." + Format.count(file.lastEpoch()))
             .append(", ").append(Format.bytes(file.usedBytes())).append(" used");
        }
        return s.toString();
    }

    private static String recordText(Codec codec, JournalEntry entry) {
        String record;
        if (entry.type() == RecordType.WRITE) {
            record = String.format("  WRITE       epoch %-12s channel %-14s %s", Format.count(entry.epoch()), entry.channel(), decode(codec, entry));
        } else if (entry.type() == RecordType.REJECTED_WRITE) {
            record = String.format("  REJECTED    epoch %-12s channel %-14s %s (rejected when written: not applied)",
                                   Format.count(entry.epoch()), entry.channel(), decode(codec, entry));
        } else if (entry.type() == RecordType.LOST) {
            record = String.format("  LOST        epochs %s..%s (lost from the journal; recovery went on without them when told to"
                                   + " accept the loss)", Format.count(entry.previousEpoch() + 1), Format.count(entry.epoch()));
        } else {
            record = String.format("  CHECKPOINT  durable %s, written %s", Format.count(entry.durableEpoch()), Format.count(entry.writtenEpoch()));
        }
        return record + "  [" + entry.file() + " @ " + entry.position() + "]";
    }

    private void json(JournalInspector inspector, Path journal, Codec codec, JournalSummary summary, PrintWriter out) {
        Json j = new Json().open('{');
        j.field("journal", journal.toString());
        if (codec.recorded() != null) {
            j.open("codec", '{').field("name", codec.recorded().name()).field("version", codec.recorded().version()).close('}');
        } else {
            j.field("codec", null).field("codecNote", codec.describe());
        }
        j.open("summary", '{').field("records", summary.records()).field("writes", summary.writes())
         .field("rejectedWrites", summary.rejectedWrites()).field("checkpoints", summary.checkpoints())
         .field("firstEpoch", summary.firstEpoch()).field("lastEpoch", summary.lastEpoch())
         .open("lastCheckpoint", '{').field("durableEpoch", summary.lastCheckpoint().durableEpoch())
         .field("writtenEpoch", summary.lastCheckpoint().writtenEpoch()).close('}')
         .field("usedBytes", summary.bytes());
        j.open("files", '[');
        for (JournalFile file : summary.files()) {
            j.open('{').field("name", file.name()).field("records", file.records()).field("firstEpoch", file.firstEpoch())
             .field("lastEpoch", file.lastEpoch()).field("usedBytes", file.usedBytes()).field("sizeBytes", file.sizeBytes()).close('}');
        }
        j.close(']').close('}');
        j.open("records", '[').drainTo(out);
        inspector.forEach(from, limit, entry -> record(j, codec, entry).drainTo(out));
        out.println(j.close(']').close('}'));
    }

    private static Json record(Json j, Codec codec, JournalEntry entry) {
        j.open('{').field("type", entry.type().name());
        if (entry.type() == RecordType.LOST) {
            j.field("firstEpoch", entry.previousEpoch() + 1).field("lastEpoch", entry.epoch());
        } else if (entry.type().isWrite()) {
            // A rejected write keeps the write's fields; its type, REJECTED_WRITE, tells it apart.
            j.field("epoch", entry.epoch()).field("channel", entry.channel()).field("payloadLength", entry.payloadLength());
            KvWrite write = codec.decodes() ? decodeOrNull(entry) : null;
            if (write != null) {
                j.field("op", write.isDelete() ? "delete" : write.isAdd() ? "add" : "put");
                String key = new String(write.key(), StandardCharsets.UTF_8);
                if (java.util.Arrays.equals(key.getBytes(StandardCharsets.UTF_8), write.key())) {
                    j.field("key", key);
                } else {
                    j.field("keyBase64", Base64.getEncoder().encodeToString(write.key()));
                }
                if (write.isAdd()) {
                    j.field("amount", write.amount());
                } else if (!write.isDelete()) {
                    j.field("valueLength", write.value().length);
                }
            }
        } else {
            j.field("durableEpoch", entry.durableEpoch()).field("writtenEpoch", entry.writtenEpoch());
        }
        j.field("file", entry.file()).field("index", entry.index()).field("position", entry.position()).close('}');
        return j;
    }

    private static String decode(Codec codec, JournalEntry entry) {
        if (!codec.decodes()) {
            return entry.payloadLength() + "-byte payload (codec " + codec.recorded() + ", not decoded)";
        }
        if (entry.type() == RecordType.REJECTED_WRITE && entry.payloadLength() == 0) {
            return "no payload (the write was too large for the journal, or its codec could not encode it)";
        }
        KvWrite write = decodeOrNull(entry);
        if (write == null) {
            return entry.payloadLength() + "-byte payload (not a key-value write)";
        }
        return write.toString();
    }

    private static KvWrite decodeOrNull(JournalEntry entry) {
        byte[] payload = entry.payload();
        try {
            return KvCodec.INSTANCE.decode(new UnsafeBuffer(payload), 0, payload.length);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The codec the journal recorded, and whether payloads are decoded as key-value writes: not
     * when another codec wrote them, since their bytes could decode into writes that never were.
     *
     * @param recorded null when the journal names no codec, or its identity file is damaged
     * @param problem  why there is none, for the output; null when there is one
     */
    private record Codec(CodecIdentity recorded, String problem) {

        static Codec of(JournalInspector inspector) {
            try {
                return inspector.codec().map(identity -> new Codec(identity, null))
                                .orElseGet(() -> new Codec(null, "none recorded (the journal has no record yet, was written"
                                                                 + " before journals recorded their codec, or its"
                                                                 + " epochring-codec.id was deleted)"));
            } catch (JournalCorruptedException e) {
                return new Codec(null, "unknown: " + e.getMessage());
            }
        }

        /** Writes are decoded unless the journal names a codec other than the store's. */
        boolean decodes() {
            return recorded == null || (recorded.name().equals(KvCodec.NAME) && recorded.version() == KvCodec.VERSION);
        }

        String describe() {
            if (recorded == null) {
                return problem;
            }
            return recorded + (decodes() ? " (the key-value store's)" : " (not the key-value store's " + KvCodec.NAME + " version "
                                                                         + KvCodec.VERSION + ": payloads are not decoded)");
        }
    }
}
