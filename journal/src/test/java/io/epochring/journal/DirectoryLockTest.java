package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One writer per directory, in this process: the directory's own lock survives deleting the lock
 * file, and a directory or lock file replaced between opening and locking is locked again where
 * it is now. (Other processes: {@link SingleWriterTest}.)
 */
class DirectoryLockTest {

    private static final Runnable NOTHING = () -> { };

    @Test
    void shouldLockTheDirectoryItselfOnLinux() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Path dir = TestDirs.fresh("dirlock-linux");
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThat(lock.holdsDirectory()).isTrue();
            assertThat(lock.directory()).isEqualTo(dir);
        }
    }

    @Test
    void shouldKeepTheDirectoryLockedWhenItsLockFileIsDeleted() throws IOException {
        assumeTrue(DirectoryFlock.available());
        Path dir = TestDirs.fresh("dirlock-unlinked");
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            // when the lock file is deleted
            Files.delete(dir.resolve(DirectoryLock.FILE_NAME));

            // then a file lock alone would let a second writer in: the new file is another inode
            try (LockFile second = LockFile.tryLock(dir, "second", NOTHING)) {
                assertThat(second).isNotNull();
            }
            // but the directory's lock is still held (flock is per open file description: refused in this process too)
            assertThat(DirectoryFlock.tryLock(dir, NOTHING)).isNull();
            assertThat(LockFile.holderOf(dir)).isEqualTo("another process (it has not written its description yet)");
        }
        // and released on close
        try (DirectoryFlock again = DirectoryFlock.tryLock(dir, NOTHING)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void shouldSayWhenTheHoldersDescriptionWasDeleted() throws IOException {
        Path dir = TestDirs.fresh("dirlock-description");
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThat(LockFile.holderOf(dir)).isEqualTo(lock.holder()).startsWith("pid " + ProcessHandle.current().pid() + " on ");
            Files.delete(dir.resolve(DirectoryLock.FILE_NAME));
            assertThat(LockFile.holderOf(dir)).isEqualTo("another process, whose description " + dir.resolve(DirectoryLock.FILE_NAME)
                                                         + " was deleted (find it with 'lsof " + dir + "')");
        }
    }

    @Test
    void shouldRefuseASecondLockInThisJvmNamingTheHolderAndReleaseOnClose() {
        Path dir = TestDirs.fresh("dirlock-jvm");
        DirectoryLock first = DirectoryLock.acquire(dir);
        assertThatThrownBy(() -> DirectoryLock.acquire(dir))
            .isInstanceOf(DirectoryLockedException.class)
            .hasMessageContaining("directory " + dir + " is locked by pid " + ProcessHandle.current().pid())
            .hasMessageContaining("(in this JVM)")
            .hasMessageContaining("stop the other one first");
        first.close();
        first.close(); // idempotent
        try (DirectoryLock again = DirectoryLock.acquire(dir)) {
            assertThat(Files.exists(dir.resolve(DirectoryLock.FILE_NAME))).isTrue();
            assertThat(LockFile.holderOf(dir)).isEqualTo(again.holder());
        }
        assertThat(LockFile.holderOf(dir)).as("the description is emptied on release")
                                          .isEqualTo("another process (it has not written its description yet)");
    }

    @Test
    void shouldLockTheDirectoryNowAtThePathWhenItWasReplacedBetweenOpeningAndLocking() throws IOException {
        assumeTrue(DirectoryFlock.available());
        // given a directory that is renamed away, and another made in its place, just after it was opened
        Path dir = TestDirs.fresh("dirlock-replaced");
        Path moved = dir.resolveSibling(dir.getFileName() + "-moved");
        AtomicInteger opened = new AtomicInteger();
        Runnable replaceOnce = () -> {
            if (opened.incrementAndGet() == 1) {
                replace(dir, moved);
            }
        };

        // when it is locked
        try (DirectoryLock lock = DirectoryLock.lock(dir, replaceOnce, NOTHING)) {
            // then the lock was taken again, on the directory at the path now
            assertThat(opened).hasValue(2);
            assertThat(DirectoryFlock.tryLock(dir, NOTHING)).isNull();
            assertThat(LockFile.holderOf(dir)).isEqualTo(lock.holder());
            // and the moved one is not held
            try (DirectoryFlock old = DirectoryFlock.tryLock(moved, NOTHING)) {
                assertThat(old).isNotNull();
            }
        }
    }

    @Test
    void shouldGiveUpWhenTheDirectoryKeepsBeingReplaced() {
        assumeTrue(DirectoryFlock.available());
        Path dir = TestDirs.fresh("dirlock-churn");
        AtomicInteger opened = new AtomicInteger();
        Runnable replaceAlways = () -> replace(dir, dir.resolveSibling(dir.getFileName() + "-moved-" + opened.incrementAndGet()));

        assertThatThrownBy(() -> DirectoryLock.lock(dir, replaceAlways, NOTHING))
            .isInstanceOf(IOException.class)
            .hasMessage("directory " + dir + " was replaced while it was being locked, 3 times in a row: something keeps renaming"
                        + " or recreating it; stop that, then try again");
        assertThat(opened).hasValue(DirectoryFlock.ATTEMPTS);
        // and nothing is left held
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThat(lock.directory()).isEqualTo(dir);
        }
    }

    @Test
    void shouldLockTheLockFileNowAtThePathWhenItWasReplacedBetweenOpeningAndLocking() throws IOException {
        Path dir = TestDirs.fresh("dirlock-file-replaced");
        Path file = dir.resolve(DirectoryLock.FILE_NAME);
        AtomicInteger opened = new AtomicInteger();
        Runnable deleteOnce = () -> {
            if (opened.incrementAndGet() == 1) {
                delete(file);
            }
        };

        try (DirectoryLock lock = DirectoryLock.lock(dir, NOTHING, deleteOnce)) {
            assertThat(opened).hasValue(2);
            assertThat(LockFile.holderOf(dir)).isEqualTo(lock.holder());
        }
    }

    @Test
    void shouldGiveUpWhenTheLockFileKeepsBeingDeleted() {
        Path dir = TestDirs.fresh("dirlock-file-churn");
        Runnable deleteAlways = () -> delete(dir.resolve(DirectoryLock.FILE_NAME));

        assertThatThrownBy(() -> DirectoryLock.lock(dir, NOTHING, deleteAlways))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("lock file " + dir.resolve(DirectoryLock.FILE_NAME) + " was deleted or replaced while it was being"
                                  + " locked, 3 times in a row");
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThat(lock.directory()).isEqualTo(dir);
        }
    }

    @Test
    void shouldRefuseADirectoryThatDoesNotExistSayingWhatToCheck() {
        Path missing = TestDirs.fresh("dirlock-missing").resolve("absent");
        assertThatThrownBy(() -> DirectoryLock.acquire(missing))
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("could not lock directory " + missing)
            .hasMessageContaining("check that it exists");
    }

    private static void replace(Path dir, Path movedTo) {
        try {
            Files.move(dir, movedTo);
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
