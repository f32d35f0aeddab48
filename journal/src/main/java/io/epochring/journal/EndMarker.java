package io.epochring.journal;

import io.epochring.Journal.RecordedEnd;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The journal's end, kept apart from its records in {@value #FILE_NAME}: the last epoch committed
 * and the durable epoch of the last checkpoint. Recovery compares it with what the records say, so
 * a journal file that was deleted, truncated or zeroed, or a tail lost in a power cut before it was
 * synced, is noticed instead of being taken for a journal that never had those records.
 *
 * <pre>
 *  offset  size  field (longs in the machine's byte order)
 *  0       8     magic "EPOCHEND": written last when the file is created
 *  8       8     last committed epoch      (the journal thread, at each commit)
 *  16      8     last checkpoint's durable epoch (the flush thread, at each checkpoint)
 * </pre>
 *
 * <p>Design note: the file is memory-mapped and each field is one ordered 8-byte store, so moving
 * the marker at every commit costs no system call. A store reaches the page cache at once, which
 * survives a process crash. The marker moves only after the records it covers were appended, and
 * under a syncing policy only after they were synced, so after a crash or power cut it never
 * claims a record the disk cannot have had under the promise of the sync policy; after a power cut
 * without syncing it may claim a tail that was lost, and that loss is then reported, not silent.
 * The records stay the truth for what is replayed: the marker only says what must be there.
 */
final class EndMarker implements AutoCloseable {

    static final String FILE_NAME = "epochring-end.marker";

    private static final long MAGIC = 0x444e_4548_434f_5045L; // "EPOCHEND" on a little-endian machine
    private static final int MAGIC_OFFSET = 0;
    private static final int LAST_EPOCH_OFFSET = 8;
    private static final int DURABLE_EPOCH_OFFSET = 16;
    private static final int LENGTH = 24;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer fields;

    private EndMarker(MappedByteBuffer mapped) {
        this.mapped = mapped;
        this.fields = new UnsafeBuffer(mapped);
    }

    /**
     * Reads the marker without changing anything.
     *
     * @return what it says, or empty when the file is missing, unreadable, or was never completed
     */
    static Optional<RecordedEnd> read(Path directory) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(directory.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (bytes.length != LENGTH) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        if (in.getLong(MAGIC_OFFSET) != MAGIC) {
            return Optional.empty();
        }
        long lastEpoch = in.getLong(LAST_EPOCH_OFFSET);
        long durableEpoch = in.getLong(DURABLE_EPOCH_OFFSET);
        if (lastEpoch < 0 || durableEpoch < 0) {
            return Optional.empty();
        }
        return Optional.of(new RecordedEnd(lastEpoch, durableEpoch));
    }

    /**
     * Opens the marker for the writer (who holds the directory's lock), creating it when missing
     * or unreadable, and moves it up to {@code lastEpoch} and {@code durableEpoch} (never down: a
     * loss is forgotten only through {@link #reset}).
     */
    static EndMarker openForWriting(Path directory, long lastEpoch, long durableEpoch) {
        Path file = directory.resolve(FILE_NAME);
        Optional<RecordedEnd> existing = read(directory);
        try {
            if (existing.isEmpty()) {
                create(file, lastEpoch, durableEpoch);
            }
            EndMarker marker = new EndMarker(IoUtil.mapExistingFile(file.toFile(), FILE_NAME));
            if (existing.isPresent()) {
                marker.committed(Math.max(lastEpoch, existing.get().lastEpoch()));
                marker.checkpointed(Math.max(durableEpoch, existing.get().durableEpoch()));
            }
            return marker;
        } catch (IOException | IllegalStateException e) {
            throw new UncheckedIOException("could not open the journal's end marker " + file + " (" + e + "): check that the journal"
                                           + " directory is writable and not full",
                                           e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** Writes the fields, then the magic that makes them count, and forces the file, so a crash mid-way leaves no marker. */
    private static void create(Path file, long lastEpoch, long durableEpoch) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(LENGTH).order(ByteOrder.nativeOrder());
        out.putLong(LAST_EPOCH_OFFSET, lastEpoch).putLong(DURABLE_EPOCH_OFFSET, durableEpoch);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(LENGTH);
            raf.getChannel().write(out, 0);
            raf.getChannel().force(false);
            ByteBuffer magic = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder()).putLong(0, MAGIC);
            raf.getChannel().write(magic, MAGIC_OFFSET);
            raf.getChannel().force(false);
        }
    }

    /** The journal thread committed records up to {@code epoch}. */
    void committed(long epoch) {
        fields.putLongOrdered(LAST_EPOCH_OFFSET, epoch);
    }

    /** The flush thread recorded a checkpoint of {@code durableEpoch}. */
    void checkpointed(long durableEpoch) {
        fields.putLongOrdered(DURABLE_EPOCH_OFFSET, durableEpoch);
    }

    /** An accepted loss: from now on the marker says exactly what the records say. */
    void reset(long lastEpoch, long durableEpoch) {
        committed(lastEpoch);
        checkpointed(durableEpoch);
        mapped.force();
    }

    @Override
    public void close() {
        IoUtil.unmap(mapped);
    }
}
