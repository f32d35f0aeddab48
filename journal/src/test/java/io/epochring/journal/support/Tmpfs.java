package io.epochring.journal.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, to make a disk really run out of space, and grown later to
 * give the space back. Needs Linux and the right to mount (root, or CAP_SYS_ADMIN in a
 * container); without it the test is skipped, saying why.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;
    private boolean mounted;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code sizeBytes} on {@code mountPoint} (an empty directory), or skips the test. */
    public static Tmpfs mount(Path mountPoint, long sizeBytes) {
        Assumptions.assumeTrue(System.getProperty("os.name", "").toLowerCase().contains("linux"),
                               "needs Linux to mount a tmpfs, this is " + System.getProperty("os.name"));
        Tmpfs tmpfs = new Tmpfs(mountPoint);
        Result result = run("mount", "-t", "tmpfs", "-o", "size=" + sizeBytes, "tmpfs", mountPoint.toString());
        Assumptions.assumeTrue(result.exit == 0, () -> "could not mount a tmpfs on " + mountPoint + " to fill a disk (exit " + result.exit
                                                       + ": " + result.output.strip() + "): mounting needs root or CAP_SYS_ADMIN");
        tmpfs.mounted = true;
        return tmpfs;
    }

    /** Changes the size in place: the files stay, and a larger size frees space on a full disk. */
    public void resize(long sizeBytes) {
        Result result = run("mount", "-o", "remount,size=" + sizeBytes, mountPoint.toString());
        if (result.exit != 0) {
            throw new AssertionError("could not resize the tmpfs on " + mountPoint + " (exit " + result.exit + ": " + result.output.strip() + ")");
        }
    }

    public Path path() {
        return mountPoint;
    }

    /** Unmounts; fails when something still holds a file open or mapped in it. */
    @Override
    public void close() {
        if (!mounted) {
            return;
        }
        Result result = run("umount", mountPoint.toString());
        if (result.exit != 0) {
            // Leave no mount behind for the next run, then report what held it.
            run("umount", "-l", mountPoint.toString());
            mounted = false;
            throw new AssertionError("could not unmount " + mountPoint + " (exit " + result.exit + ": " + result.output.strip()
                                     + "): a file in it was still open or mapped");
        }
        mounted = false;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, String.join(" ", line) + " did not finish within 10 s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** Writes a file of {@code bytes} zero bytes, to take space that can be given back later. */
    public static void fill(Path file, int bytes) throws IOException {
        Files.write(file, new byte[bytes]);
    }
}
