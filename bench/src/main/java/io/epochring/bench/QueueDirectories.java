package io.epochring.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Fresh directories for the journal benchmarks' Chronicle queues, under {@code java.io.tmpdir}:
 * the forks set it to {@code target} ({@link Jvm#TMPDIR_TARGET}) and the smoke test to the
 * module's {@code target/}, so queues never land in {@code /tmp}. Each trial gets its own
 * directory and deletes it at teardown: a full run appends gigabytes.
 */
final class QueueDirectories {

    private QueueDirectories() {
    }

    /** @return a new, empty directory named after {@code prefix} */
    static Path create(String prefix) {
        Path parent = Path.of(System.getProperty("java.io.tmpdir"), "epochring-bench");
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a queue directory under " + parent.toAbsolutePath() + " (" + e
                                           + "): check that the working directory is writable", e);
        }
    }

    /** Deletes {@code directory} and everything in it; nothing when it is null or gone. */
    static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete queue directory " + directory.toAbsolutePath() + " (" + e
                                           + "): delete it by hand, a full run leaves gigabytes there", e);
        }
    }
}
