package io.epochring.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a store that acknowledged writes as JOURNALED: after reopening, every acknowledged
 * put and delete is there (checked against a model map), epochs continue, and nothing else
 * changed. Three rounds on one directory, each killed after a different number of acks, so
 * crashes land during flushes, between them, and on a store recovered from the round before.
 */
class CrashRecoveryTest {

    static final int KEYS = 300;
    private static final int[] ACKS_BEFORE_KILL = {400, 2_500, 1_200};

    @TempDir
    Path dir;

    @Test
    void shouldRecoverEveryJournaledWriteAfterKillMinusNine() throws Exception {
        Path store = dir.resolve("store");
        Map<String, String> model = new HashMap<>(); // key -> hex value; absent = deleted or never written
        Map<String, List<String>> history = new HashMap<>(); // key -> acknowledged writes, for failure messages
        long lastEpoch = 0;
        for (int round = 0; round < ACKS_BEFORE_KILL.length; round++) {
            // given a child that acknowledged writes as JOURNALED, killed with SIGKILL
            Path log = dir.resolve("child-" + round + ".log");
            Process child = startChild(store, round, log);
            assertThat(awaitAcks(child, ACKS_BEFORE_KILL[round])).as("round %d: the child acknowledged %d writes", round, ACKS_BEFORE_KILL[round]).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            // the model: every acknowledged write, in order; the write in flight may or may not have made it
            List<String[]> lines = completeLines(log);
            assertThat(lines.get(0)[0]).isEqualTo("ready");
            assertThat(Long.parseLong(lines.get(0)[1])).as("the child recovered up to the last epoch").isGreaterThanOrEqualTo(lastEpoch);
            String[] inFlight = null;
            for (String[] line : lines.subList(1, lines.size())) {
                if (line[0].equals("try")) {
                    inFlight = line;
                } else {
                    long epoch = Long.parseLong(line[1]);
                    assertThat(epoch).as("epochs increase").isGreaterThan(lastEpoch);
                    lastEpoch = epoch;
                    apply(model, line[2], line[3], line[4]);
                    history.computeIfAbsent(line[3], k -> new ArrayList<>()).add("round " + round + " epoch " + epoch + " " + line[2] + " " + line[4]);
                    inFlight = null;
                }
            }

            // when the store is opened again, then every acknowledged write is there
            try (KvStore reopened = KvStore.open(store)) {
                assertThat(reopened.recovery().lastEpoch()).isGreaterThanOrEqualTo(lastEpoch);
                for (int k = 0; k < KEYS; k++) {
                    String key = "k" + k;
                    byte[] actual = reopened.get(key.getBytes());
                    String actualHex = actual == null ? null : HexFormat.of().formatHex(actual);
                    if (inFlight != null && key.equals(inFlight[2])) {
                        Map<String, String> withInFlight = new HashMap<>(model);
                        apply(withInFlight, inFlight[1], inFlight[2], inFlight[3]);
                        assertThat(actualHex).as("round %d, in-flight key %s", round, key).isIn(model.get(key), withInFlight.get(key));
                        if (Objects.equals(actualHex, withInFlight.get(key))) {
                            model = withInFlight; // it landed: later rounds build on it
                        }
                    } else {
                        assertThat(actualHex).as("round %d, key %s, acknowledged writes %s", round, key, history.get(key)).isEqualTo(model.get(key));
                    }
                }
                lastEpoch = reopened.recovery().lastEpoch();
            }
        }
        assertThat(model).isNotEmpty();
    }

    private static void apply(Map<String, String> model, String op, String key, String value) {
        if (op.equals("P")) {
            model.put(key, value);
        } else {
            model.remove(key);
        }
    }

    /** Starts {@link CrashWriterMain} with this JVM's flags (surefire's argLine) and class path. */
    private static Process startChild(Path store, int seed, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib:jdwp")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWriterMain.class.getName());
        command.add(store.toString());
        command.add(Integer.toString(seed));
        command.add(log.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling("child-stderr.log").toFile()));
        // RocksDB extracts its 17 MB native library into a temp file deleted at exit, which a SIGKILL skips:
        // give children a directory of their own, removed with the test's.
        Path nativeDir = Files.createDirectories(log.resolveSibling("rocksdb-native"));
        builder.environment().put("ROCKSDB_SHAREDLIB_DIR", nativeDir.toString());
        return builder.start();
    }

    /** @return true once the child reports {@code acks} acknowledged writes; false if it ends or stalls first */
    private static boolean awaitAcks(Process child, int acks) throws InterruptedException {
        CountDownLatch reached = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.equals("acks " + acks)) {
                        reached.countDown();
                    }
                }
            } catch (IOException e) {
                // the pipe closed with the child
            }
        }, "crash-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return reached.await(120, TimeUnit.SECONDS);
    }

    /** @return the log's lines split in fields, without a last line cut short by the kill */
    private static List<String[]> completeLines(Path log) throws IOException {
        List<String[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.endsWith(" .")) {
                lines.add(line.split(" "));
            }
        }
        return lines;
    }
}
