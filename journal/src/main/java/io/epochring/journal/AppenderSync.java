package io.epochring.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.Wire;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Forces what one appender has written to disk. Chronicle's {@code appender.sync()} msyncs the
 * memory-mapped chunk the appender is in now, up to its write position. Records written since the
 * last sync into a chunk or file the appender has since left are outside that range, so when the
 * appender has moved on this also fsyncs the file it left (rare: once per chunk of tens of MB, or
 * per roll). One instance per appender, used on that appender's thread.
 */
final class AppenderSync {

    private Object lastStore;
    private File lastFile;

    void sync(ExcerptAppender appender) {
        Wire wire = appender.wire();
        if (wire == null) {
            return; // nothing written yet
        }
        Bytes<?> bytes = wire.bytes();
        Object store = bytes.bytesStore();
        File file = appender.currentFile();
        if (store != lastStore) {
            force(lastFile != null ? lastFile : file);
        }
        appender.sync();
        lastStore = store;
        lastFile = file;
    }

    /** fsyncs a whole file: its dirty mapped pages included. */
    static void force(File file) {
        if (file == null || !file.exists()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not sync journal file " + file + " to disk (" + e.getMessage()
                                           + "): check the disk and its permissions", e);
        }
    }
}
