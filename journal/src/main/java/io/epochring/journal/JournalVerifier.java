package io.epochring.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The structure check every reader of a journal runs before Chronicle Queue opens the directory:
 * each cycle file ({@link CycleFileVerifier}) and {@code metadata.cq4t}
 * ({@link MetadataFileVerifier}), with plain reads that change nothing. Recovery and
 * {@link JournalInspector} both run it, so a damaged file gets one verdict whichever looks first.
 * Every damaged file is named; the oldest is described in full. It looks at a word per indexed
 * record (Chronicle's index entries, every 16th record with the default roll cycle), reading ahead
 * in 64 KiB reads, and reads the newest file through only when it has no header.
 */
final class JournalVerifier {

    private static final String CYCLE_SUFFIX = ".cq4";

    private JournalVerifier() {
    }

    /**
     * @throws io.epochring.JournalCorruptedException naming the first damaged file, record and byte offset
     * @throws UncheckedIOException when a file cannot be read at all
     */
    static void verify(Path directory) {
        List<FileDamage> damaged = new ArrayList<>();
        List<Path> files = cycleFiles(directory);
        for (int i = 0; i < files.size(); i++) {
            add(damaged, files.get(i), i == files.size() - 1 ? Kind.NEWEST_CYCLE_FILE : Kind.CYCLE_FILE);
        }
        add(damaged, directory.resolve(MetadataFileVerifier.FILE_NAME), Kind.METADATA);
        if (!damaged.isEmpty()) {
            throw JournalDamage.inStructure(directory, damaged);
        }
    }

    /**
     * @return the newest cycle file when it has no header (a writer was killed while Chronicle created
     *         it, so it holds no record), else empty
     * @throws UncheckedIOException when the file cannot be read at all
     */
    static Optional<Path> unfinishedNewestFile(Path directory) {
        List<Path> files = cycleFiles(directory);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path newest = files.get(files.size() - 1);
        try {
            return CycleFileVerifier.isUnfinishedNewest(newest) ? Optional.of(newest) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read journal file " + newest + " (" + e + "): check that it is readable", e);
        }
    }

    /** @return whether the directory holds no cycle file: a journal nothing was written to */
    static boolean hasNoCycleFiles(Path directory) {
        return cycleFiles(directory).isEmpty();
    }

    private enum Kind { CYCLE_FILE, NEWEST_CYCLE_FILE, METADATA }

    private static void add(List<FileDamage> damaged, Path file, Kind kind) {
        try {
            FileDamage damage = kind == Kind.METADATA ? MetadataFileVerifier.verify(file)
                                                      : CycleFileVerifier.verify(file, kind == Kind.NEWEST_CYCLE_FILE);
            if (damage != null) {
                damaged.add(damage);
            }
        } catch (NoSuchFileException e) {
            // Not there (metadata of a copied journal), or deleted by retention since the listing.
        } catch (IOException e) {
            throw new UncheckedIOException("could not read journal file " + file + " (" + e + "): check that it is readable", e);
        }
    }

    /** @return the directory's cycle files, oldest first (their names sort by time) */
    private static List<Path> cycleFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(CYCLE_SUFFIX) && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list journal directory " + directory + " (" + e + "): check that it is readable", e);
        }
    }
}
