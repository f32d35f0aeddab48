package io.epochring.journal;

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
 */
final class FileBytes implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

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
        return fill(offset, 4).getInt(0);
    }

    long longAt(long offset) throws IOException {
        return fill(offset, 8).getLong(0);
    }

    /** @return {@code length} bytes from {@code offset}, little-endian, positioned at 0 */
    ByteBuffer bytesAt(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(buffer, offset);
        return buffer.flip();
    }

    /** @return whether every byte of the file is zero; reads it through, a block at a time, up to the first that is not */
    boolean holdsOnlyZeros() throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        long size = size();
        for (long at = 0; at < size; at += block.limit()) {
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
        channel.close();
    }
}
