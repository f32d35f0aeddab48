package io.epochring.journal.support;

import io.epochring.EpochRing;
import io.epochring.journal.ChronicleJournal;
import io.epochring.testing.Put;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The process the crash test kills in the middle of recovery: it recovers the journal in
 * {@code args[0]} (storage file {@code args[1]}) and stops inside the {@code args[2]}-th replayed
 * apply, printing {@code HELD}; or prints {@code RECOVERED n} if there were fewer records.
 */
public final class CrashRecoveryMain {

    private CrashRecoveryMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        RecordingDelta delta = new RecordingDelta().holdAt(Long.parseLong(args[2]));
        Thread watcher = new Thread(() -> {
            try {
                if (delta.awaitHeld(600)) {
                    out.println("HELD");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring =
            Rings.start(delta, new FileFlusher(Path.of(args[1])), ChronicleJournal.builder(Path.of(args[0])).build());
        out.println("RECOVERED " + ring.recovery().replayed());
        new CountDownLatch(1).await(); // until killed
    }
}
