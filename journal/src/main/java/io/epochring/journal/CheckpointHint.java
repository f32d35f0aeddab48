package io.epochring.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the newest checkpoint record is, and whether that is certain: the file {@value #FILE_NAME}
 * in the journal directory, 16 bytes, little-endian: a state word and a Chronicle index.
 *
 * <ul>
 *   <li>{@code SETTLED}: the index is the newest checkpoint record ({@link #NO_CHECKPOINT} when the
 *       journal has none) and no checkpoint record follows it. Recovery reads that one record and
 *       the last record of the journal, then replays: one pass over the writes.</li>
 *   <li>{@code APPENDING}: a checkpoint record may have been appended after the index (a crash
 *       between the two steps below). Recovery reads forward from the index to find the newest
 *       one, as it does with no hint at all (a journal copied without this file).</li>
 * </ul>
 *
 * <p>The writer's protocol per checkpoint (flush thread, one at a time): {@link #appending()}, append
 * the record (and sync it under a syncing policy), {@link #settled(long)}. Under a syncing policy the
 * {@code APPENDING} state is forced to disk before the record is appended, so after a power loss the
 * disk never holds a {@code SETTLED} state older than a checkpoint record it also holds; without
 * one, the journal only promises to survive a process crash, and the page cache keeps program order.
 * The record stays the truth: a hint naming something that is not a checkpoint record is ignored.
 */
final class CheckpointHint implements AutoCloseable {

    static final String FILE_NAME = "epochring-checkpoint.hint";
    /** The index when the journal has no checkpoint record. */
    static final long NO_CHECKPOINT = -1;
    /** The index when nothing is known: read from the start. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private static final long SETTLED = 0x5345_5454_4c45_4421L;   // "SETTLED!"
    private static final long APPENDING = 0x4150_5045_4e44_2121L; // "APPEND!!"
    private static final int LENGTH = 16;

    /**
     * What the file says.
     *
     * @param settled whether {@code index} is certainly the newest checkpoint
     * @param index   a checkpoint record's Chronicle index, {@link #NO_CHECKPOINT} or {@link #UNKNOWN}
     */
    record State(boolean settled, long index) {
        static final State UNKNOWN_STATE = new State(false, UNKNOWN);
    }

    private final Path file;
    private final FileChannel channel;
    private final boolean force;
    private final ByteBuffer buffer = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private long index;

    private CheckpointHint(Path file, FileChannel channel, boolean force, long index) {
        this.file = file;
        this.channel = channel;
        this.force = force;
        this.index = index;
    }

    /**
     * Opens the hint for writing; the caller holds the directory's writer lock. A journal with no
     * records gets a {@code SETTLED} "no checkpoint" hint at once, so its first recovery is one pass.
     *
     * @param force       force the {@code APPENDING} state to disk before each append (syncing policies)
     * @param emptyJournal whether the queue holds no records yet
     */
    static CheckpointHint openForWriting(Path directory, boolean force, boolean emptyJournal) {
        Path file = directory.resolve(FILE_NAME);
        State state = read(directory);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.truncate(LENGTH); // a longer file would never read as a hint again
            CheckpointHint hint = new CheckpointHint(file, channel, force, state.index());
            if (emptyJournal && !state.settled()) {
                hint.settled(NO_CHECKPOINT);
            }
            return hint;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UncheckedIOException("could not open the checkpoint hint " + file + " (" + e
                                           + "): check that the journal directory is writable", (IOException) e);
        }
    }

    /** @return what the hint file of {@code directory} says; {@link State#UNKNOWN_STATE} when absent or unreadable */
    static State read(Path directory) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(directory.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            return State.UNKNOWN_STATE;
        } catch (IOException e) {
            // Only a hint: recovery then reads from the start, which needs no hint.
            return State.UNKNOWN_STATE;
        }
        if (bytes.length != LENGTH) {
            return State.UNKNOWN_STATE;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long state = in.getLong(0);
        long index = in.getLong(8);
        if (state == SETTLED && (index >= 0 || index == NO_CHECKPOINT)) {
            return new State(true, index);
        }
        return state == APPENDING ? new State(false, index) : State.UNKNOWN_STATE;
    }

    /** Step 1 of a checkpoint: from now on, a checkpoint record may follow the hinted one. */
    synchronized void appending() {
        write(APPENDING, index);
        if (force) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("could not force the checkpoint hint " + file + " to disk (" + e + ")", e);
            }
        }
    }

    /** Step 3 of a checkpoint: {@code checkpointIndex} is the newest checkpoint record. */
    synchronized void settled(long checkpointIndex) {
        index = checkpointIndex;
        write(SETTLED, checkpointIndex);
    }

    private void write(long state, long hintIndex) {
        buffer.clear();
        buffer.putLong(0, state).putLong(8, hintIndex);
        try {
            // One 16-byte write at offset 0: within a sector, so it lands whole or not at all.
            channel.write(buffer, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint hint " + file + " (" + e
                                           + "): check that the journal directory is writable and not full", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to write; the next writer rewrites the file in any case.
        }
    }
}
