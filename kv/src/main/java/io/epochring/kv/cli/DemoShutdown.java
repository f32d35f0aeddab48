package io.epochring.kv.cli;

import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Ends the demo cleanly when the JVM is told to stop mid-run (Ctrl-C, SIGTERM): a shutdown hook
 * closes the open store, then deletes the directory when it is a temporary one the user did not
 * ask to keep.
 *
 * <p>Design note: the hook runs while the demo's threads still write, so every open, close and
 * delete goes through this object's lock. The hook closes the store (the coordinator stops and
 * RocksDB closes, waiting for its background jobs) before it deletes anything, and once it ran no
 * store is opened again (the demo reopens its store to verify recovery).
 */
final class DemoShutdown implements AutoCloseable {

    private final Path dir;
    private final boolean temporary;
    private final PrintWriter err;
    private final Thread hook = new Thread(this::onShutdown, "epochring-demo-shutdown");
    private KvStore store;
    private boolean stopping;
    private boolean deleted;

    /**
     * @param temporary whether {@code dir} is deleted when the JVM stops mid-run (a temporary
     *                  directory without {@code --keep})
     */
    DemoShutdown(Path dir, boolean temporary, PrintWriter err) {
        this.dir = dir;
        this.temporary = temporary;
        this.err = err;
    }

    DemoShutdown register() {
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** @throws IllegalStateException when the JVM is already shutting down: the store would only be closed again */
    synchronized KvStore open(DemoWorkload.StoreOpener opener, KvOptions options) {
        if (stopping) {
            throw new IllegalStateException("the demo was stopped (the JVM is shutting down): no store is opened");
        }
        store = opener.open(dir, options);
        return store;
    }

    /** Closes {@code opened}, unless the hook closed it already. */
    synchronized void close(KvStore opened) {
        if (store == opened) {
            store = null;
        }
        opened.close();
    }

    /** Deletes the directory and everything in it, once; a failure is reported, not thrown. */
    synchronized void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // A leftover temporary directory is not worth failing the demo over; say where it is.
            err.println("epochring demo: could not delete " + dir + " (" + e.getMessage() + "); remove it by hand");
            err.flush();
        }
    }

    /** Deletes {@code dir} and everything in it; a directory already gone is not an error. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * When the JVM is stopping, a failure of the run is only the store being closed under it:
     * rather than report it after the hook's own message, the caller waits here for the JVM to
     * end (it does once the shutdown hooks are done). Returns at once otherwise.
     */
    void awaitExitIfStopping() {
        synchronized (this) {
            if (!stopping) {
                return;
            }
        }
        while (true) {
            try {
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                // Keep waiting: the JVM ends this thread when the hooks are done.
            }
        }
    }

    /** The run ended by itself: the hook is not needed any more. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs (or ran) and does the cleanup.
        }
    }

    private synchronized void onShutdown() {
        stopping = true;
        err.println();
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                err.println("epochring demo: stopping the store failed: " + EpochRingCli.oneLine(e));
            }
            store = null;
        }
        if (temporary && !deleted) {
            delete();
            err.println("epochring demo: stopped; deleted the temporary store " + dir + " (pass --keep to keep it)");
        } else {
            err.println("epochring demo: stopped; the store is in " + dir + " (try: epochring recover --dir " + dir + ")");
        }
        err.flush();
    }
}
