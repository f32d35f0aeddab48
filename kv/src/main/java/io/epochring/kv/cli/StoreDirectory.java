package io.epochring.kv.cli;

import io.epochring.journal.DirectoryLock;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.JournalSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Checks the {@code --dir} of the commands: an existing store to read, or a new directory to run a demo in. */
final class StoreDirectory {

    private StoreDirectory() {
    }

    /**
     * Checks a directory before a store is opened in it, since opening creates what is missing:
     * RocksDB would make a database of any {@code db/}, Chronicle a journal of any {@code journal/}.
     * So {@code db/} must hold a RocksDB database, {@code journal/} a journal, and at least one of
     * them must be there. A journal without {@code db/} is a store whose database is gone: it is
     * accepted only while the journal holds every write (no durable checkpoint, so nothing was ever
     * counted as safe in RocksDB alone, and writes from epoch 1), and the database is then rebuilt
     * from it.
     *
     * @throws UsageException when {@code dir} is not such a directory; nothing was created or changed
     */
    static Path requireStore(Path dir) {
        requireDirectory(dir);
        Path db = dir.resolve("db");
        Path journal = dir.resolve("journal");
        if (!Files.exists(db) && !Files.exists(journal)) {
            throw new UsageException("--dir " + dir + " is not a store directory (it has neither db/ nor journal/):"
                                     + " pass the directory of a store, e.g. one kept by 'epochring demo --keep'");
        }
        if (Files.exists(db) && !Files.isRegularFile(db.resolve("CURRENT"))) {
            throw new UsageException("--dir " + dir + " is not a store directory: " + db + " is not a RocksDB database (it has no CURRENT"
                                     + " file); pass the directory of a store, e.g. one kept by 'epochring demo --keep'");
        }
        if (Files.exists(journal) && !hasJournalFiles(journal)) {
            throw new UsageException("--dir " + dir + " is not a store directory: " + journal + " holds no journal files (*.cq4,"
                                     + " metadata.cq4t, " + DirectoryLock.FILE_NAME + "); pass the directory of a store, e.g. one kept by 'epochring demo --keep'");
        }
        if (!Files.exists(db)) {
            requireWholeJournal(dir, journal);
        }
        return dir;
    }

    private static void requireWholeJournal(Path dir, Path journal) {
        JournalSummary summary;
        try (JournalInspector inspector = JournalInspector.open(journal)) {
            summary = inspector.summary();
        }
        long durable = summary.lastCheckpoint().durableEpoch();
        if (durable > 0 || summary.firstEpoch() > 1) {
            throw new UsageException("--dir " + dir + " has a journal but no database (" + dir.resolve("db") + " is missing), and the"
                                     + " journal does not hold every write: " + (durable > 0
                                        ? "its checkpoint says writes up to epoch " + Format.count(durable) + " were made durable in the database"
                                        : "its first write is at epoch " + Format.count(summary.firstEpoch()))
                                     + ". Restore the database directory to " + dir.resolve("db")
                                     + ", or move the journal away to start a new store");
        }
    }

    /** A journal opened but not yet written holds only its writer's lock file: the queue files come with the first record. */
    private static boolean hasJournalFiles(Path journal) {
        String[] names = journal.toFile().list((parent, name) -> name.endsWith(".cq4") || name.endsWith(".cq4t")
                                                                 || name.equals(DirectoryLock.FILE_NAME));
        return names != null && names.length > 0;
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

    /**
     * Creates {@code dir} for a run that writes from nothing, or takes it when it is empty.
     *
     * @param why why the command needs it new or empty, said when it is not
     * @throws UsageException when {@code dir} is a file or holds anything
     */
    static Path prepareEmpty(Path dir, String why) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--dir " + dir + " is a file: pass a new or empty directory");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException("--dir " + dir + " is not empty: " + why);
                }
            }
        }
        return Files.createDirectories(dir);
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
