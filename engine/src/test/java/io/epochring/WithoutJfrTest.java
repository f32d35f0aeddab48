package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine needs no JFR: on a runtime without the {@code jdk.jfr} module (as a linked image may
 * be) every event site is skipped, and no event class is loaded.
 */
class WithoutJfrTest {

    @Test
    void shouldRunEveryEventSiteOnARuntimeWithoutJfr() throws Exception {
        Path output = Files.createDirectories(Path.of("target", "without-jfr")).resolve("child.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                       "--limit-modules", "java.base,java.logging,jdk.unsupported",
                                       "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                                       "-cp", System.getProperty("java.class.path"), Main.class.getName());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = child.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }

        String printed = Files.readString(output);
        assertThat(exited).as(printed).isTrue();
        assertThat(child.exitValue()).as(printed).isZero();
        assertThat(printed).contains("no jdk.jfr: recovered 2, durable 4, refused 1, failed with io.epochring.FlushFailedException");
    }

    /** Goes through recovery, flush, sync, checkpoint, a refused write and a fault, without JFR. */
    static final class Main {
        public static void main(String[] args) {
            if (ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
                throw new IllegalStateException("run with --limit-modules leaving out jdk.jfr");
            }
            MemoryJournal journal = new MemoryJournal();
            try (var first = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec()).build().start()) {
                first.channel("default").write(new Put("a", 1));
                first.channel("default").write(new Put("b", 2)).await(DurabilityLevel.JOURNALED);
                journal = journal.afterCrash();
            }
            StringBuilder report = new StringBuilder("no jdk.jfr: ");
            try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec()).channel("small", 1)
                                     .build().start()) {
                report.append("recovered ").append(ring.recovery().replayed());
                Channel<Put, Long> small = ring.channel("small");
                small.pause();
                small.publish(new Put("c", 3));
                boolean refused = !small.tryPublish(new Put("d", 4));
                small.resume();
                small.write(new Put("e", 5));
                ring.flush(true).await(DurabilityLevel.DURABLE);
                report.append(", durable ").append(ring.watermark(DurabilityLevel.DURABLE)).append(", refused ").append(refused ? 1 : 0);
            }
            TestFlusher broken = new TestFlusher();
            broken.failNext(1, () -> new IllegalStateException("storage is read-only"));
            var failing = EpochRing.builder(new MapDelta(), broken).retryPolicy(FlushRetryPolicy.none()).errorHandler(e -> { }).build().start();
            failing.channel("default").write(new Put("f", 6));
            try {
                failing.stop();
            } catch (FlushFailedException expected) {
                report.append(", failed with ").append(expected.getClass().getName());
            }
            System.out.println(report);
        }
    }
}
