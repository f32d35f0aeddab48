package io.epochring.journal;

import org.agrona.BufferUtil;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * A window of a cycle file's bytes, read with plain positional reads into native memory, for the
 * runs {@link JournalCursor} reads past an open document: the records of a run are verified where
 * they lie in this window rather than in Chronicle's mapping of the file.
 *
 * <p>Design note: replay reads each byte of the journal once, straight after the journal was opened,
 * so every page of Chronicle's fresh mapping is touched for the first time by replay, and a page
 * fault (one per few pages) cost more than copying the same bytes from the page cache: on a 2-core
 * virtual machine, first touches of a freshly mapped 64 MiB file took 30-45 ms, reading it into a
 * buffer under 10 ms. The bytes are the same page cache pages either way; Chronicle still opens the
 * first record of every run and finds the last one where the run did, through its mapping.
 *
 * <p>The window is a snapshot: a document a writer completes after it was read shows as incomplete
 * and ends the run there, where Chronicle's tailer reads on. Replay runs while the writer lock is
 * held, so no writer works alongside. One instance per cursor, on the cursor's thread.
 */
final class RunWindow implements AutoCloseable {

    /** Bytes read at a time: many records, a small copy. A document longer than this ends a run. */
    static final int CAPACITY = 1 << 20;

    private final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
    private final long address = BufferUtil.address(buffer);
    private File file;
    private FileChannel channel;
    /** The file offset of the buffer's first byte; its limit is how many bytes of the file it holds. */
    private long from;

    /**
     * Reads from {@code current}, the file of the document the cursor has open; opens it unless it is
     * the one already open.
     *
     * @return false when the file cannot be read this way (the run is then left to Chronicle)
     */
    boolean readFrom(File current) {
        if (current == null) {
            return false;
        }
        if (!current.equals(file)) {
            closeFile();
            try {
                channel = FileChannel.open(current.toPath(), StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                return false;
            }
            file = current;
            buffer.clear().limit(0);
        }
        return true;
    }

    /**
     * @return whether the file's bytes {@code [offset, offset + length)} are in the window, reading
     *         them from the file first when they are not; false when the file does not hold them all
     *         (its end) or cannot be read, or {@code length} exceeds the window
     */
    boolean holds(long offset, int length) {
        if (offset >= from && offset + length <= from + buffer.limit()) {
            return true;
        }
        if (length > CAPACITY || offset < 0) {
            return false;
        }
        buffer.clear();
        from = offset;
        try {
            while (buffer.position() < length && channel.read(buffer, offset + buffer.position()) > 0) {
                // a positional read may return less than asked for: read on until the range is in
            }
        } catch (IOException | RuntimeException e) {
            buffer.clear().limit(0);
            return false;
        }
        buffer.flip();
        return buffer.limit() >= length;
    }

    /** @return the 4-byte word at {@code offset}, which must be {@link #holds held} */
    int intAt(long offset) {
        return buffer.getInt((int) (offset - from));
    }

    /** @return the native address of the file's byte at {@code offset}, which must be {@link #holds held} */
    long addressOf(long offset) {
        return address + (offset - from);
    }

    private void closeFile() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // read only: nothing was written that closing could lose
            }
            channel = null;
            file = null;
        }
    }

    @Override
    public void close() {
        closeFile();
        BufferUtil.free(buffer); // now rather than at some later GC
    }
}
