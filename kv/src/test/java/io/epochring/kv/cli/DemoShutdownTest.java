package io.epochring.kv.cli;

import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.TestDirs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM (as Ctrl-C) in the middle of a demo, in a child JVM: the temporary store goes unless kept. */
class DemoShutdownTest {

    private static final String STORE_LINE = "  store       ";
    private static final long WRITTEN_LOG_BYTES = 1 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldDeleteTheTemporaryStoreWhenTerminatedMidRun() throws Exception {
        // given a demo writing far more than it can finish, into a temporary directory under tmp
        Path tmp = TestDirs.fresh("demo-sigterm");
        try (ChildJvm demo = startDemo(tmp)) {
            Path store = awaitOpenStore(demo);

            // when it is told to stop
            int exit = demo.terminate(TIMEOUT);

            // then the shutdown hook stopped the store and removed its directory
            assertThat(exit).as("exit code; see " + demo.log()).isNotZero();
            assertThat(store).as("see " + demo.log()).doesNotExist();
            assertThat(Files.readString(demo.log())).contains("deleted the temporary store " + store);
        }
    }

    @Test
    void shouldKeepTheTemporaryStoreWhenTerminatedWithKeep() throws Exception {
        // given a demo told to keep its temporary store
        Path tmp = TestDirs.fresh("demo-sigterm-keep");
        try (ChildJvm demo = startDemo(tmp, "--keep")) {
            Path store = awaitOpenStore(demo);

            // when it is told to stop
            demo.terminate(TIMEOUT);

            // then the store stays, closed, for recover and inspect
            assertThat(store.resolve("db").resolve("CURRENT")).as("see " + demo.log()).isRegularFile();
            assertThat(store.resolve("journal")).isDirectory();
            assertThat(Files.readString(demo.log())).contains("epochring recover --dir " + store);
        }
    }

    private static ChildJvm startDemo(Path tmp, String... extra) throws Exception {
        List<String> jvmOptions = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp")) {
                jvmOptions.add(arg);
            }
        }
        jvmOptions.add("-Djava.io.tmpdir=" + tmp); // the last one wins over surefire's
        List<String> args = new ArrayList<>(List.of("demo", "--writes", "2000M", "--producers", "1", "--keys", "1000"));
        args.addAll(List.of(extra));
        return ChildJvm.start(jvmOptions, EpochRingCli.class, tmp.resolve("child.log"), args.toArray(String[]::new));
    }

    /**
     * @return the demo's temporary store, once RocksDB is taking the demo's writes: its write-ahead
     * log holds more than a MiB, well past what opening the store writes
     */
    private static Path awaitOpenStore(ChildJvm demo) throws InterruptedException {
        String line = demo.awaitLine(STORE_LINE, TIMEOUT);
        Path store = Path.of(line.substring(STORE_LINE.length(), line.indexOf(" (")));
        await("RocksDB to take writes in " + store + "; see " + demo.log(), () -> hasWrittenLog(store.resolve("db")));
        return store;
    }

    private static boolean hasWrittenLog(Path db) {
        try (Stream<Path> files = Files.list(db)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".log") && size(f) > WRITTEN_LOG_BYTES);
        } catch (IOException e) {
            return false; // not created yet
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT.toSeconds());
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
