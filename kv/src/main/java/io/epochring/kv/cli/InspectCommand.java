package io.epochring.kv.cli;

import io.epochring.WriteCodec;
import io.epochring.journal.JournalEntry;
import io.epochring.journal.JournalFile;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.JournalSummary;
import io.epochring.journal.RecordType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * {@code epochring inspect}: a journal's codec, summary (files, epochs, last checkpoint) and its
 * records from an epoch on, each write decoded as a put, delete or add (and marked when the store
 * rejected it), unless the journal names another codec; with {@code --codec}, decoded by the
 * user's codec instead. With {@code --follow} it then keeps printing records as a running store
 * appends them, until Ctrl-C or SIGTERM (exit 0) or {@code --follow-for}.
 * Reads without locking, so it works on the journal of a running store. Records are printed as they
 * are read, so any {@code --limit} runs in bounded memory.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
         description = {"Dumps a journal: summary, records and checkpoints.",
                        "Prints the journal's codec, files, epochs and last checkpoint, then its",
                        "records from an epoch on (writes decoded as puts, deletes and adds, or by",
                        "--codec). Safe while a store writes the journal: --follow then prints",
                        "records as the store appends them, like tail -f."})
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

    @Option(names = "--follow",
            description = "after the listing, keep printing records as they are appended (onto new journal files too),"
                          + " until Ctrl-C or SIGTERM, then exit 0; when --limit cut the listing short, from the journal's end")
    boolean follow;

    @Option(names = "--follow-for", paramLabel = "DURATION", converter = Converters.Time.class,
            description = "follow (as --follow) for this long, then exit 0, e.g. 30s, 5m")
    Duration followFor;

    @Option(names = "--codec", paramLabel = "CLASS",
            description = "decode payloads with this io.epochring.WriteCodec: a class with a public no-argument constructor,"
                          + " on the classpath (java -cp epochring.jar:your-codec.jar io.epochring.kv.cli.EpochRingCli inspect ...);"
                          + " refused when it is not the codec the journal recorded")
    String codecClass;

    @Option(names = "--force-codec", description = "decode with --codec even when the journal recorded another codec name or version")
    boolean forceCodec;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        if (followFor != null && (followFor.isZero() || followFor.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--follow-for must be longer than 0, was " + followFor
                                                              + ": give how long to follow, e.g. 30s");
        }
        if (forceCodec && codecClass == null) {
            throw new ParameterException(spec.commandLine(), "--force-codec needs --codec: name the codec to decode with");
        }
        WriteCodec<?> userCodec = codecClass == null ? null : CodecLoader.load(codecClass);
        Path journal = StoreDirectory.journalOf(dir);
        JournalInspector inspector;
        try {
            inspector = JournalInspector.open(journal);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try (inspector) {
            PayloadDecoder decoder = PayloadDecoder.of(inspector, userCodec, forceCodec);
            JournalSummary summary = inspector.summary();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                json(inspector, journal, decoder, summary, out);
            } else {
                text(inspector, journal, decoder, summary, out);
            }
            out.flush();
        }
        return EpochRingCli.OK;
    }

    private boolean following() {
        return follow || followFor != null;
    }

    private void text(JournalInspector inspector, Path journal, PayloadDecoder decoder, JournalSummary summary, PrintWriter out) {
        out.println(summaryText(journal, decoder, summary));
        out.print(listingHeading(summary) + " (at most " + Format.count(limit) + "):");
        Listing listing = new Listing();
        inspector.forEach(from, limit, entry -> {
            listing.add(entry);
            out.println();
            out.print(recordText(decoder, entry));
        });
        out.println(listing.count > 0 ? "" : summary.records() == 0 ? " none, the journal holds no records yet" : " none");
        if (!following()) {
            return;
        }
        out.println(followingText(listing));
        out.flush();
        follow(inspector, listing, entry -> {
            out.println(recordText(decoder, entry));
            out.flush();
        }, followed -> out.println("stopped following: " + Format.count(followed, "new record")), out);
    }

    /**
     * Follows on from the listing: after its last record when it reached the journal's end, from the
     * journal's end when {@code --limit} cut it short (what is wanted then is what comes next).
     * Ends with {@code stopped} (given the number of records followed), printed before a signal
     * ends the JVM.
     */
    private void follow(JournalInspector inspector, Listing listing, Consumer<JournalEntry> print, LongConsumer stopped, PrintWriter out) {
        try (FollowStop stop = new FollowStop(followFor, code -> Runtime.getRuntime().halt(code)).register()) {
            long followed;
            if (listing.count >= limit) {
                followed = inspector.followFromEnd(print, stop);
            } else if (listing.last != null) {
                followed = inspector.followAfter(listing.last, print, stop);
            } else {
                followed = inspector.follow(from, print, stop);
            }
            stopped.accept(followed);
            out.flush();
            stop.finished();
        }
    }

    private String followingText(Listing listing) {
        String until = followFor != null ? "for " + followFor.toString().substring(2).toLowerCase(Locale.ROOT)
                                           + " (or until Ctrl-C)" : "until Ctrl-C";
        String where = listing.count >= limit ? " from the journal's end (--limit cut the listing short)" : "";
        return "following new records" + where + " " + until + ":";
    }

    /**
     * Epochs start at 1, so the default --from 0 (or any epoch before the journal's first write)
     * means the journal's first write: the heading names the epoch it actually starts at.
     */
    private String listingHeading(JournalSummary summary) {
        if (summary.records() == 0) {
            return "records";
        }
        if (summary.writes() == 0) {
            return "records from the start (no writes yet)";
        }
        if (from <= summary.firstEpoch()) {
            return "records from epoch " + Format.count(summary.firstEpoch()) + ", the first";
        }
        return "records from epoch " + Format.count(from);
    }

    /** What the listing handed over: how many records, and the last, to follow on after it. */
    private static final class Listing {
        long count;
        JournalEntry last;

        void add(JournalEntry entry) {
            count++;
            last = entry;
        }
    }

    private static String summaryText(Path journal, PayloadDecoder decoder, JournalSummary summary) {
        StringBuilder s = new StringBuilder();
        s.append("journal     ").append(journal).append('\n');
        s.append("  codec       ").append(decoder.describe()).append('\n');
        if (summary.records() == 0) {
            s.append("  records     none yet: the journal is empty\n");
        } else {
            s.append("  records     ").append(Format.count(summary.records())).append(": ").append(Format.count(summary.writes()))
             .append(" writes").append(summary.writes() == 0 ? "" : " (epochs " + Format.count(summary.firstEpoch()) + ".."
                                                                     + Format.count(summary.lastEpoch()) + ")")
             .append(summary.rejectedWrites() == 0 ? "" : ", " + Format.count(summary.rejectedWrites()) + " of them rejected")
             .append(", ").append(Format.count(summary.checkpoints(), "checkpoint")).append('\n');
        }
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

    private static String recordText(PayloadDecoder decoder, JournalEntry entry) {
        String record;
        if (entry.type() == RecordType.WRITE) {
            record = String.format("  WRITE       epoch %-12s channel %-14s %s", Format.count(entry.epoch()), entry.channel(), decoder.text(entry));
        } else if (entry.type() == RecordType.REJECTED_WRITE) {
            record = String.format("  REJECTED    epoch %-12s channel %-14s %s (rejected when written: not applied)",
                                   Format.count(entry.epoch()), entry.channel(), decoder.text(entry));
        } else if (entry.type() == RecordType.LOST) {
            record = String.format("  LOST        epochs %s..%s (lost from the journal; recovery went on without them when told to"
                                   + " accept the loss)", Format.count(entry.previousEpoch() + 1), Format.count(entry.epoch()));
        } else {
            record = String.format("  CHECKPOINT  durable %s, written %s", Format.count(entry.durableEpoch()), Format.count(entry.writtenEpoch()));
        }
        return record + "  [" + entry.file() + " @ " + entry.position() + "]";
    }

    /**
     * One JSON object; with {@code --follow} its records array grows as records are appended and is
     * closed when following stops, so the output is whole once the command ends.
     */
    private void json(JournalInspector inspector, Path journal, PayloadDecoder decoder, JournalSummary summary, PrintWriter out) {
        Json j = new Json().open('{');
        j.field("journal", journal.toString());
        if (decoder.recorded() != null) {
            j.open("codec", '{').field("name", decoder.recorded().name()).field("version", decoder.recorded().version()).close('}');
        } else {
            j.field("codec", null);
        }
        j.field("codecNote", decoder.describe());
        boolean anyWrite = summary.writes() > 0;
        j.open("summary", '{').field("records", summary.records()).field("writes", summary.writes())
         .field("rejectedWrites", summary.rejectedWrites()).field("checkpoints", summary.checkpoints());
        // Epochs start at 1: without a write there is no first or last epoch, rather than a made-up 0.
        if (anyWrite) {
            j.field("firstEpoch", summary.firstEpoch()).field("lastEpoch", summary.lastEpoch());
        } else {
            j.field("firstEpoch", null).field("lastEpoch", null);
        }
        j.open("lastCheckpoint", '{').field("durableEpoch", summary.lastCheckpoint().durableEpoch())
         .field("writtenEpoch", summary.lastCheckpoint().writtenEpoch()).close('}')
         .field("usedBytes", summary.bytes());
        j.open("files", '[');
        for (JournalFile file : summary.files()) {
            j.open('{').field("name", file.name()).field("records", file.records()).field("firstEpoch", file.firstEpoch())
             .field("lastEpoch", file.lastEpoch()).field("usedBytes", file.usedBytes()).field("sizeBytes", file.sizeBytes()).close('}');
        }
        j.close(']').close('}');
        j.open("records", '[').drainTo(out);
        Listing listing = new Listing();
        inspector.forEach(from, limit, entry -> {
            listing.add(entry);
            record(j, decoder, entry).drainTo(out);
        });
        if (!following()) {
            out.println(j.close(']').close('}'));
            return;
        }
        out.flush();
        follow(inspector, listing, entry -> {
            record(j, decoder, entry).drainTo(out);
            out.flush();
        }, followed -> out.println(j.close(']').field("followed", followed).close('}')), out);
    }

    private static Json record(Json j, PayloadDecoder decoder, JournalEntry entry) {
        j.open('{').field("type", entry.type().name());
        if (entry.type() == RecordType.LOST) {
            j.field("firstEpoch", entry.previousEpoch() + 1).field("lastEpoch", entry.epoch());
        } else if (entry.type().isWrite()) {
            // A rejected write keeps the write's fields; its type, REJECTED_WRITE, tells it apart.
            j.field("epoch", entry.epoch()).field("channel", entry.channel()).field("payloadLength", entry.payloadLength());
            decoder.json(j, entry);
        } else {
            j.field("durableEpoch", entry.durableEpoch()).field("writtenEpoch", entry.writtenEpoch());
        }
        j.field("file", entry.file()).field("index", entry.index()).field("position", entry.position()).close('}');
        return j;
    }
}
