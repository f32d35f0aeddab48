package io.epochring.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.PrecreatedFiles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.posix.PosixAPI;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Keeps disk blocks allocated ahead of where Chronicle writes, so that a full disk shows up as an
 * {@link IOException} before a record is begun, and never as a fault in a memory-mapped page.
 *
 * <p>Why: Chronicle's files are sparse and written through a memory mapping. A store into a page
 * the disk has no block for raises SIGBUS, which the JVM reports as an {@link InternalError}; in
 * compiled code it does so later, after the faulting stores were skipped, so Chronicle can have
 * completed the record by then: a complete record with zeros from the page boundary on, which
 * recovery rightly refuses. Here the blocks are allocated first, with {@code fallocate(2)} on Linux
 * through Chronicle's own native library (the one its {@code msync} goes through; the JDK has no
 * {@code fallocate}, and {@code RandomAccessFile.setLength} leaves the file sparse), else by
 * writing zeros with {@link FileChannel#write(ByteBuffer, long)}. Either way the file reads as the
 * zeros Chronicle finds in a fresh file.
 *
 * <p>Design note: writing zeros works everywhere, but it puts every byte of the journal through
 * the page cache once more: appends of 58-byte records went from about 85 % of raw Chronicle's rate
 * to about 63 %, against about 84 % with {@code fallocate}, which only marks blocks as allocated.
 * Zeros are the fallback when the native library is missing or the call fails (a file system
 * without it; a full disk, which writing zeros then reports as such).
 *
 * <p>What is covered. Inside an open document (under Chronicle's write lock, so no other appender
 * writes the file meanwhile) the document's write position is the file offset of the record, and
 * every byte Chronicle has written to the file lies below it. Chronicle's writes past the record
 * are the next record's header and, once every {@code indexSpacing * indexCount} records, a new
 * secondary index placed right after the record (an {@code indexCount * 8}-byte array, written
 * whole when created; later index entries go into arrays already written). So before the record's
 * bytes are copied, {@code [position, position + length + margin)} with a margin of two index
 * arrays must have blocks; when it does not, the next {@value #STEP} bytes beyond are allocated
 * too, so this costs a system call per MiB of journal, not per record. A new file begins with
 * Chronicle's header and two index arrays, written when Chronicle creates it: those land in a file
 * pre-created here with blocks (Chronicle renames a {@code <cycle>.precreated} file to the cycle's
 * file when it creates one), made for the next cycle whenever more space is reserved.
 *
 * <p>Not covered: a cycle file Chronicle creates while no pre-created file is waiting (after a gap
 * of more than one cycle without appends), and the end-of-file marker Chronicle adds to an older
 * file that an earlier process left without reserved space. On a copy-on-write file system
 * (btrfs, ZFS) an allocated block does not guarantee that overwriting it succeeds.
 *
 * <p>Threads: one instance per journal, shared by its appending threads; {@link #reserve} is called
 * only inside documents, so calls never overlap.
 */
final class SpaceReserver implements AutoCloseable {

    /** Allocated at a time beyond what the next record needs. */
    static final long STEP = 1 << 20;
    private static final int ALIGN = 64 << 10;
    private static final String SUFFIX = ".cq4";
    private static final String PRECREATED = ".precreated";
    private static final String TEMPORARY = ".tmp";
    private static final int O_WRONLY = 1;

    private final Path directory;
    private final RollingResourcesCache names;
    /** Kept allocated past the end of the record being written. */
    private final long margin;
    /** Allocated in a pre-created file: Chronicle's header and first index arrays, and a margin. */
    private final long firstRegion;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(ALIGN);
    /** Null when zeros are written instead of calling {@code fallocate}. */
    private PosixAPI posix;

    // Read by every append, on either appending thread; changed only inside documents.
    private volatile int cycle = Integer.MIN_VALUE;
    private volatile long reservedUpTo;

    private boolean prepared;
    private boolean precreating = true;
    private File precreated;

    SpaceReserver(SingleChronicleQueue queue, Path directory) {
        this(queue, directory, true);
    }

    /** @param fallocate whether to try {@code fallocate(2)} at all (false: always write zeros) */
    SpaceReserver(SingleChronicleQueue queue, Path directory, boolean fallocate) {
        this.directory = directory;
        this.posix = fallocate ? nativeLibrary() : null;
        this.names = new RollingResourcesCache(queue.rollCycle(), queue.epoch(), name -> new File(directory.toFile(), name + SUFFIX),
                                               file -> file.getName().substring(0, file.getName().length() - SUFFIX.length()));
        long indexArray = queue.indexCount() * 8L + 256; // the array and its document's header
        this.margin = 2 * indexArray + ALIGN;
        this.firstRegion = alignUp(2 * indexArray + margin + 4096);
    }

    /**
     * Before the first record this journal writes: deletes pre-created files a process that ended
     * without closing its journal left behind, and pre-creates the current cycle's file when it does
     * not exist yet. Called once per appender, before its first document.
     *
     * @throws IOException when the disk has no room for it
     */
    synchronized void prepare(int currentCycle) throws IOException {
        if (prepared) {
            return;
        }
        prepared = true;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*" + PRECREATED + "*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
        precreate(currentCycle);
    }

    /**
     * Makes sure the blocks of the appender's file from {@code position} to the end of a record of
     * {@code length} bytes, plus the margin, are allocated. Called inside an open document before any
     * of its bytes are written, with {@code position} its write position.
     *
     * @throws IOException when the disk has no room: nothing of the record is written yet
     */
    void reserve(ExcerptAppender appender, long position, int length) throws IOException {
        if (appender.cycle() != cycle || position + length + margin > reservedUpTo) {
            extend(appender.cycle(), appender.currentFile(), position, length);
        }
    }

    private synchronized void extend(int fileCycle, File file, long position, int length) throws IOException {
        long from = fileCycle == cycle ? Math.max(position, reservedUpTo) : position;
        long to = alignUp(position + length + margin + STEP);
        allocate(file.toPath(), from, to);
        reservedUpTo = to;
        if (fileCycle != cycle) {
            cycle = fileCycle;
            // Chronicle names files by its roll cycle's pattern; should that differ from ours, pre-creating is useless.
            precreating &= names.resourceFor(fileCycle).path.getName().equals(file.getName());
        }
        precreate(fileCycle + 1);
    }

    /**
     * Pre-creates the file of {@code fileCycle} with blocks, unless it exists or is pre-created
     * already; drops a pre-created file Chronicle did not take. Written under a temporary name and
     * renamed, so that Chronicle never takes a file half written.
     */
    private void precreate(int fileCycle) throws IOException {
        if (!precreating) {
            return;
        }
        File cycleFile = names.resourceFor(fileCycle).path;
        File wanted = PrecreatedFiles.preCreatedFile(cycleFile);
        if (wanted.equals(precreated)) {
            return;
        }
        dropPrecreated();
        if (cycleFile.exists() || wanted.exists()) {
            return;
        }
        Path temporary = directory.resolve(wanted.getName() + TEMPORARY);
        try {
            Files.deleteIfExists(temporary);
            Files.createFile(temporary);
            allocate(temporary, 0, firstRegion);
        } catch (IOException e) {
            deleteQuietly(temporary, e);
            throw e;
        }
        Files.move(temporary, wanted.toPath(), StandardCopyOption.ATOMIC_MOVE);
        precreated = wanted;
    }

    /** Deletes the pre-created file Chronicle has not taken (it renames the one it takes). */
    private void dropPrecreated() throws IOException {
        if (precreated != null) {
            Files.deleteIfExists(precreated.toPath());
            precreated = null;
        }
    }

    /** Gives {@code [from, to)} of {@code file} blocks; bytes there are (and stay) zeros. */
    private void allocate(Path file, long from, long to) throws IOException {
        if (posix != null && fallocate(file, from, to)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            writeZeros(channel, from, to);
        }
    }

    /**
     * @return false when {@code fallocate} did not allocate the range: then zeros are written, from
     *         now on. Chronicle's library does not keep the reason ({@code errno}): writing zeros
     *         either says it (a full disk) or does the job (a file system without the call).
     */
    private boolean fallocate(Path file, long from, long to) {
        PosixAPI api = posix;
        try {
            int fd = api.open(file.toString(), O_WRONLY, 0);
            if (fd >= 0) {
                try {
                    // mode 0: allocate, and grow the file if the range ends past its end
                    if (api.fallocate(fd, 0, from, to - from) == 0) {
                        return true;
                    }
                } finally {
                    api.close(fd);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // the library cannot call the system after all
        }
        posix = null;
        JournalLog.LOGGER.log(Level.INFO, () -> "journal " + directory + ": fallocate(2) did not allocate blocks for " + file.getFileName()
                                                + "; reserving space by writing zeros from now on (the disk may be full, or the file"
                                                + " system may not support it)");
        return false;
    }

    /** @return Chronicle's native library if it really calls the system (it has a stand-in that does nothing), else null */
    private static PosixAPI nativeLibrary() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try {
            PosixAPI posix = PosixAPI.posix();
            return posix.getpid() == ProcessHandle.current().pid() ? posix : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** @return whether blocks are allocated with {@code fallocate} (else zeros are written) */
    synchronized boolean fallocates() {
        return posix != null;
    }

    private void writeZeros(FileChannel channel, long from, long to) throws IOException {
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            at += channel.write(zeros, at);
        }
    }

    private static void deleteQuietly(Path file, IOException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static long alignUp(long offset) {
        return (offset + ALIGN - 1) & -ALIGN;
    }

    /** Deletes a pre-created file Chronicle has not taken; never throws. */
    @Override
    public synchronized void close() {
        try {
            dropPrecreated();
        } catch (IOException e) {
            // A leftover is deleted by the next writer's prepare().
        }
    }
}
