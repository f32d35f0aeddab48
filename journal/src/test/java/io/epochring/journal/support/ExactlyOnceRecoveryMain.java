package io.epochring.journal.support;

import io.epochring.EpochRing;
import io.epochring.journal.support.CountingRings.Setup;
import io.epochring.journal.support.CountingRings.Targets;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The process the exactly-once crash test kills in the middle of recovery: it opens the
 * coordinator of directory {@code args[0]} set up as {@code args[1]} and holds inside the
 * {@code args[2]}-th apply of a replayed write, printing {@code HELD apply}; or, when recovery
 * applied fewer, prints {@code RECOVERED <replayed>} and runs (flushing what it recovered).
 */
public final class ExactlyOnceRecoveryMain {

    private ExactlyOnceRecoveryMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Setup setup = Setup.parse(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DeathLines.printTo(out);
        KillPoints points = KillPoints.holdAt("apply", Long.parseLong(args[2]), out);
        EpochRing<Increment, Long, Map<String, Long>, Map<String, Long>> ring =
            CountingRings.builder(setup, new CountingDelta(points), Targets.open(dir, KillPoints.none(), 0), CountingRings.journal(setup, dir))
                         .build().start();
        out.println("RECOVERED " + ring.recovery().replayed());
        new CountDownLatch(1).await(); // until killed
    }
}
