package io.epochring.journal;

import org.agrona.BufferUtil;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Little-endian reads at absolute offsets of one file, opened for reading only: the structural
 * checks read a journal file this way, without a memory mapping, so that looking at a file never
 * changes it (a writable mapping extends a short file) and a damaged file cannot make anything wait.
 *
 * <p>Design note (reading ahead): a read costs a system call, and checking every index entry of a
 * large file takes one read per entry (62,500 for a million records with Chronicle's usual index
 * spacing of 16, an entry every kilobyte or so). With {@link #readAhead()} on, a small read outside
 * what was last read fetches {@value #READ_AHEAD} bytes from there instead, and the next reads
 * inside those bytes are served from them. A read-only mapping would save the copy, but a page fault
 * per page costs more than the copy. The bytes are as old as that fetch: a reader that learns the
 * file changed since (a writer working alongside) calls {@link #discardReadAhead()}.
 */
final class FileBytes implements AutoCloseable {

    /** Bytes fetched by one read ahead: many index entries' worth, a small copy from the page cache. */
    static final int READ_AHEAD = 64 << 10;

    private final FileChannel channel;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    /** The bytes read ahead, from {@link #aheadFrom}, while {@link #readAhead()} is on; else null. */
    private ByteBuffer ahead;
    private long aheadFrom;

    private FileBytes(FileChannel channel) {
        this.channel = channel;
    }

    static FileBytes open(Path file) throws IOException {
        return new FileBytes(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** @return the file's current length */
    long size() throws IOException {
        return channel.size();
    }

    int intAt(long offset) throws IOException {
        return ahead != null && holdsAhead(offset, 4) ? ahead.getInt((int) (offset - aheadFrom)) : fill(offset, 4).getInt(0);
    }

    long longAt(long offset) throws IOException {
        return ahead != null && holdsAhead(offset, 8) ? ahead.getLong((int) (offset - aheadFrom)) : fill(offset, 8).getLong(0);
    }

    /** From now on, serve {@link #intAt} and {@link #longAt} from bytes read ahead (see the design note). */
    void readAhead() {
        if (ahead == null) {
            ahead = ByteBuffer.allocateDirect(READ_AHEAD).order(ByteOrder.LITTLE_ENDIAN);
            discardReadAhead();
        }
    }

    /** Forgets the bytes read ahead: the next read goes to the file. */
    void discardReadAhead() {
        if (ahead != null) {
            ahead.clear().limit(0);
        }
    }

    /**
     * @return whether {@code [offset, offset + length)} is in the bytes read ahead, reading ahead
     *         from {@code offset} first when it is not; false at the end of the file, where the
     *         caller's own read reports it as before
     */
    private boolean holdsAhead(long offset, int length) throws IOException {
        if (offset >= aheadFrom && offset + length <= aheadFrom + ahead.limit()) {
            return true;
        }
        ahead.clear();
        aheadFrom = offset;
        while (ahead.position() < length) {
            if (channel.read(ahead, offset + ahead.position()) <= 0) {
                break;
            }
        }
        ahead.flip();
        return ahead.limit() >= length;
    }

    /** @return {@code length} bytes from {@code offset}, little-endian, positioned at 0 */
    ByteBuffer bytesAt(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(buffer, offset);
        return buffer.flip();
    }

    /** @return whether every byte of the file is zero; reads it through, a block at a time, up to the first that is not */
    boolean holdsOnlyZeros() throws IOException {
        return holdsOnlyZerosFrom(0);
    }

    /** @return whether every byte of the file from {@code from} on is zero (true when the file ends before it) */
    boolean holdsOnlyZerosFrom(long from) throws IOException {
        long size = size();
        if (from >= size) {
            return true;
        }
        // No bigger than the file: a header word or a 64 KiB metadata file is not worth a 1 MiB native buffer.
        ByteBuffer block = ByteBuffer.allocateDirect((int) Math.min(1 << 20, size - from));
        for (long at = from; at < size; at += block.limit()) {
            block.clear().limit((int) Math.min(block.capacity(), size - at));
            readFully(block, at);
            block.flip();
            while (block.remaining() >= 8) {
                if (block.getLong() != 0) {
                    return false;
                }
            }
            while (block.hasRemaining()) {
                if (block.get() != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private ByteBuffer fill(long offset, int length) throws IOException {
        scratch.clear().limit(length);
        readFully(scratch, offset);
        return scratch;
    }

    private void readFully(ByteBuffer buffer, long offset) throws IOException {
        long at = offset;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException("end of file at byte offset " + at);
            }
            at += read;
        }
    }

    @Override
    public void close() throws IOException {
        BufferUtil.free(ahead); // now rather than at some later GC: a journal may have many files
        ahead = null;
        channel.close();
    }
}
