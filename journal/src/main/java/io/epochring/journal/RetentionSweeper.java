package io.epochring.journal;

import io.epochring.Journal.Checkpoint;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes roll-cycle files whose every write is at or below the durable checkpoint, oldest first,
 * always keeping the newest {@code keep} files and the file holding the checkpoint record itself
 * (and everything newer). Each deletion is first written, and synced, as one JSON line to
 * {@value #AUDIT_FILE} in the journal directory; a failed deletion gets a second line saying so.
 *
 * <p>Why "at or below DURABLE" is safe: recovery replays only writes above the newest checkpoint's
 * durable epoch, and storage already holds the rest. The checkpoint file is forced to disk before
 * the first deletion, whatever the sync policy, so a machine crash cannot leave the deletions
 * without the checkpoint that justified them.
 */
final class RetentionSweeper {

    static final String AUDIT_FILE = "retention-audit.jsonl";

    private final SingleChronicleQueue queue;
    private final Path auditFile;
    private final int keep;
    private final TimeProvider time;
    /** Files other than the newest never change, so each is described once. */
    private final Map<Integer, long[]> described = new HashMap<>();

    RetentionSweeper(SingleChronicleQueue queue, Path directory, int keep, TimeProvider time) {
        this.queue = queue;
        this.auditFile = directory.resolve(AUDIT_FILE);
        this.keep = keep;
        this.time = time;
    }

    /**
     * @param checkpoint      the newest checkpoint
     * @param checkpointCycle the cycle of the file holding its record
     * @param keepAbove       files holding a write above this stay, whatever the checkpoint says
     * @return the files deleted, oldest first
     * @throws IOException when the audit log cannot be written (then nothing more is deleted)
     */
    synchronized List<Path> sweep(Checkpoint checkpoint, int checkpointCycle, long keepAbove) throws IOException {
        long deletableUpTo = Math.min(checkpoint.durableEpoch(), keepAbove);
        List<Path> deleted = new ArrayList<>();
        if (checkpoint.durableEpoch() <= 0) {
            return deleted;
        }
        queue.refreshDirectoryListing();
        try (JournalCursor cursor = new JournalCursor(queue)) {
            long[] cycles = cursor.cycles();
            for (int i = 0; i < cycles.length - keep; i++) {
                int cycle = (int) cycles[i];
                if (cycle >= checkpointCycle) {
                    break;
                }
                long[] range = described.computeIfAbsent(cycle, c -> describe(cursor, c));
                if (range[2] > deletableUpTo) {
                    break; // this file holds writes above DURABLE (or that a lagging sink lacks), and so does every newer one
                }
                File file = fileOf(cycle);
                if (file == null) {
                    continue;
                }
                if (deleted.isEmpty()) {
                    AppenderSync.force(fileOf(checkpointCycle));
                }
                audit("delete", file, range, checkpoint, null);
                try {
                    Files.deleteIfExists(file.toPath());
                } catch (IOException e) {
                    audit("delete-failed", file, range, checkpoint, e.toString());
                    throw e;
                }
                described.remove(cycle);
                deleted.add(file.toPath());
            }
        } finally {
            if (!deleted.isEmpty()) {
                queue.refreshDirectoryListing();
            }
        }
        return deleted;
    }

    /** @return {records, first write epoch, last write epoch}; epochs 0 when the file has no writes */
    private static long[] describe(JournalCursor cursor, int cycle) {
        long records = cursor.recordsInCycle(cycle);
        if (records == 0) {
            return new long[] {0, 0, 0};
        }
        long first = cursor.findWrite(cursor.indexOf(cycle, 0), TailerDirection.FORWARD, cycle);
        long last = cursor.findWrite(cursor.indexOf(cycle, records - 1), TailerDirection.BACKWARD, cycle);
        return new long[] {records, Math.max(0, first), Math.max(0, last)};
    }

    private File fileOf(int cycle) {
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null) {
            return null;
        }
        try {
            return store.file();
        } finally {
            queue.closeStore(store);
        }
    }

    private void audit(String action, File file, long[] range, Checkpoint checkpoint, String error) throws IOException {
        StringBuilder line = new StringBuilder(256)
            .append("{\"time\":\"").append(Instant.ofEpochMilli(time.currentTimeMillis())).append('"')
            .append(",\"action\":\"").append(action).append('"')
            .append(",\"file\":\"").append(escape(file.getName())).append('"')
            .append(",\"records\":").append(range[0])
            .append(",\"firstEpoch\":").append(range[1])
            .append(",\"lastEpoch\":").append(range[2])
            .append(",\"durableEpoch\":").append(checkpoint.durableEpoch())
            .append(",\"writtenEpoch\":").append(checkpoint.writtenEpoch())
            .append(",\"keepNewest\":").append(keep);
        if (error != null) {
            line.append(",\"error\":\"").append(escape(error)).append('"');
        }
        line.append("}\n");
        try (FileChannel channel = FileChannel.open(auditFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                                    StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
