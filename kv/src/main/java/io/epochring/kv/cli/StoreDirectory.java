package io.epochring.kv.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the {@code --dir} of the commands that read an existing store. */
final class StoreDirectory {

    private StoreDirectory() {
    }

    /**
     * @throws UsageException when {@code dir} is missing, not a directory, or holds neither a
     *                        database nor a journal
     */
    static Path requireStore(Path dir) {
        requireDirectory(dir);
        if (!Files.isDirectory(dir.resolve("db")) && !Files.isDirectory(dir.resolve("journal"))) {
            throw new UsageException("--dir " + dir + " is not a store directory (it has neither db/ nor journal/):"
                                     + " pass the directory of a store, e.g. one kept by 'epochring demo --keep'");
        }
        return dir;
    }

    /**
     * @return the journal directory: {@code dir/journal} for a store directory, else {@code dir} itself
     * @throws UsageException when {@code dir} is missing or not a directory
     */
    static Path journalOf(Path dir) {
        requireDirectory(dir);
        Path journal = dir.resolve("journal");
        return Files.isDirectory(journal) ? journal : dir;
    }

    private static void requireDirectory(Path dir) {
        if (!Files.exists(dir)) {
            throw new UsageException("--dir " + dir + " does not exist: pass the directory of a store, e.g. one kept by"
                                     + " 'epochring demo --keep'");
        }
        if (!Files.isDirectory(dir)) {
            throw new UsageException("--dir " + dir + " is a file, not a directory: pass the directory of a store");
        }
    }
}
