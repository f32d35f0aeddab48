package io.epochring.kv;

import io.epochring.journal.DirectoryLock;
import io.epochring.journal.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One process per store directory: the store's own lock is taken before RocksDB is opened, and
 * holds when every lock file in the store (RocksDB's {@code db/LOCK}, the journal's and the
 * store's {@code epochring-writer.lock}) is deleted under a running store.
 */
class StoreLockTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int KEYS = 50;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldRefuseASecondProcessBeforeItReachesRocksDbEvenWithEveryLockFileDeleted() throws Exception {
        Path store = dir.resolve("store");
        try (ChildJvm holder = ChildJvm.start(StoreHolderMain.class, dir.resolve("holder.err"), store.toString(),
                                              Integer.toString(KEYS))) {
            holder.awaitLine("OPEN", WAIT);

            // while it runs, a second opener is refused, naming the holder
            assertThatThrownBy(() -> KvStore.open(store))
                .isInstanceOf(KvStoreException.class)
                .hasMessageContaining("the store " + store + " is already open by pid " + holder.pid())
                .hasMessageContaining("close that store first");

            // when every lock file is deleted
            assumeTrue(System.getProperty("os.name").startsWith("Linux"), "only the directory's own lock survives that");
            Files.delete(store.resolve("db").resolve("LOCK"));
            Files.delete(store.resolve("journal").resolve(DirectoryLock.FILE_NAME));
            Files.delete(store.resolve(DirectoryLock.FILE_NAME));

            // then the second opener is still refused, told the holder's description is gone
            assertThatThrownBy(() -> KvStore.open(store))
                .isInstanceOf(KvStoreException.class)
                .hasMessageContaining("the store " + store + " is already open by another process, whose description "
                                      + store.resolve(DirectoryLock.FILE_NAME) + " was deleted (find it with 'lsof " + store + "')");
            // and it never opened RocksDB, which would have made a new LOCK file
            assertThat(store.resolve("db").resolve("LOCK")).doesNotExist();
            assertThat(store.resolve(DirectoryLock.FILE_NAME)).doesNotExist();

            holder.kill();
        }

        // once the holder is gone (kill -9), the store opens and recovers every journaled write
        try (KvStore reopened = KvStore.open(store)) {
            for (int i = 1; i <= KEYS; i++) {
                assertThat(reopened.get(("k" + i).getBytes(StandardCharsets.UTF_8))).as("k" + i)
                                                                                  .isEqualTo(("v" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        // and closes cleanly, releasing its lock
        try (KvStore again = KvStore.open(store)) {
            assertThat(again.get("k1".getBytes(StandardCharsets.UTF_8))).isEqualTo("v1".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldReleaseTheStoreLockWhenOpeningFails() throws Exception {
        // given a store whose database cannot be opened (a file where its directory should be)
        Path store = dir.resolve("broken");
        Files.createDirectories(store);
        Files.writeString(store.resolve("db"), "not a directory");

        assertThatThrownBy(() -> KvStore.open(store)).isInstanceOf(KvStoreException.class);

        // then the directory is not left locked
        try (DirectoryLock lock = DirectoryLock.acquire(store)) {
            assertThat(lock.directory()).isEqualTo(store.toRealPath());
        }
    }
}
