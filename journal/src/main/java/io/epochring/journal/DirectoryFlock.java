package io.epochring.journal;

import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * An exclusive {@code flock(2)} on a directory itself, through libc (bound with jnr-ffi; Linux on
 * x86-64 and aarch64 only, where the {@code open} flags below are right). Unlike a lock on a file
 * in the directory, it cannot be lost by deleting that file: a directory holding files cannot be
 * unlinked, and the lock belongs to the directory's inode, held through a descriptor opened with
 * {@code O_CLOEXEC} (child processes do not inherit it). The kernel drops it when the process
 * dies, even by {@code kill -9}.
 *
 * <p>The lock is per open file description, so a second {@link #tryLock} in the same process is
 * refused too. Between opening the path and locking, the directory may be renamed and another put
 * in its place; after locking, the locked inode ({@code /proc/self/fd/<fd>}) is compared with the
 * one at the path, and the lock is taken again on the new directory if they differ.
 */
final class DirectoryFlock implements AutoCloseable {

    /** The libc functions used; public because jnr-ffi implements it in a generated class. */
    public interface LibC {
        @SaveError
        int open(String path, int flags);

        @SaveError
        int flock(int fd, int operation);

        int close(int fd);

        String strerror(int errno);
    }

    /** Times the directory may be found replaced before locking gives up. */
    static final int ATTEMPTS = 3;

    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000; // Linux x86-64 and aarch64
    private static final int O_CLOEXEC = 0x80000;   // Linux x86-64 and aarch64
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EINTR = 4;
    private static final int EWOULDBLOCK = 11;      // EAGAIN on Linux

    private static final LibC LIBC = load();

    private final Path directory;
    private int fd;

    private DirectoryFlock(Path directory, int fd) {
        this.directory = directory;
        this.fd = fd;
    }

    /** @return whether this platform can lock directories; without it callers lock a file instead */
    static boolean available() {
        return LIBC != null;
    }

    /**
     * Locks {@code directory} without waiting.
     *
     * @param afterOpen runs between opening the directory and locking it (tests replace the directory there)
     * @return the lock, or null when another open file description holds it
     * @throws IOException when the directory cannot be opened, locked or checked, or was replaced
     *                     {@value #ATTEMPTS} times while being locked
     */
    static DirectoryFlock tryLock(Path directory, Runnable afterOpen) throws IOException {
        if (LIBC == null) {
            throw new IllegalStateException("flock on directories is not available here: check available() first");
        }
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(LIBC);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int fd = LIBC.open(directory.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                throw failure("open", directory, runtime.getLastError());
            }
            boolean keep = false;
            try {
                afterOpen.run();
                int result;
                do {
                    result = LIBC.flock(fd, LOCK_EX | LOCK_NB);
                } while (result != 0 && runtime.getLastError() == EINTR);
                if (result != 0) {
                    int errno = runtime.getLastError();
                    if (errno == EWOULDBLOCK) {
                        return null;
                    }
                    throw failure("flock", directory, errno);
                }
                if (isAtPath(fd, directory)) {
                    keep = true;
                    return new DirectoryFlock(directory, fd);
                }
                // Locked a directory that is no longer at the path: lock whatever is there now.
            } finally {
                if (!keep) {
                    LIBC.close(fd);
                }
            }
        }
        throw new IOException("directory " + directory + " was replaced while it was being locked, " + ATTEMPTS
                              + " times in a row: something keeps renaming or recreating it; stop that, then try again");
    }

    /** @return whether the directory open as {@code fd} is the one at {@code directory} now */
    private static boolean isAtPath(int fd, Path directory) throws IOException {
        Object locked = Files.readAttributes(Path.of("/proc/self/fd", Integer.toString(fd)), BasicFileAttributes.class).fileKey();
        Object atPath;
        try {
            atPath = Files.readAttributes(directory, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return false;
        }
        return locked != null && locked.equals(atPath);
    }

    private static IOException failure(String call, Path directory, int errno) {
        return new IOException(call + "(" + directory + ") failed: " + LIBC.strerror(errno) + " (errno " + errno + ")");
    }

    /** Releases the lock by closing the descriptor. Idempotent. */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            LIBC.close(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return "DirectoryFlock[" + directory + (fd < 0 ? ", released]" : "]");
    }

    private static LibC load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return null;
        }
        try {
            return LibraryLoader.create(LibC.class).failImmediately().load("c");
        } catch (LinkageError | RuntimeException e) {
            // No native access (a JVM without jffi's library, say): callers fall back to a lock file.
            return null;
        }
    }
}
