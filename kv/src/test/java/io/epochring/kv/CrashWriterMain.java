package io.epochring.kv;

import io.epochring.DurabilityLevel;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CrashRecoveryTest}: opens the store (recovering what an earlier child
 * left), then writes random puts and deletes forever, one at a time, logging each before it is
 * submitted ({@code try}) and once it is JOURNALED ({@code ack}). Lines end with " ." so the
 * parent can drop a line cut short by the kill.
 *
 * <p>The log goes to a file, one write call per line, so everything logged before a SIGKILL is in
 * the page cache; stdout only tells the parent how far the child got (a pipe's last lines can be
 * lost when the writer is killed).
 *
 * <p>Args: store directory, random seed, log file.
 */
public final class CrashWriterMain {

    private CrashWriterMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
        KvOptions options = KvOptions.builder().flushInterval(Duration.ofMillis(20)).build();
        KvStore store = KvStore.open(dir, options);
        try (PrintStream log = new PrintStream(new FileOutputStream(args[2], true), true)) {
            log.println("ready " + store.recovery().lastEpoch() + " .");
            HexFormat hex = HexFormat.of();
            for (long n = 1; ; n++) {
                String key = "k" + random.nextInt(CrashRecoveryTest.KEYS);
                boolean delete = random.nextInt(5) == 0;
                byte[] value = new byte[random.nextInt(1, 64)];
                random.nextBytes(value);
                String op = delete ? "D " + key + " -" : "P " + key + " " + hex.formatHex(value);
                log.println("try " + op + " .");
                KvWrite write = delete ? KvWrite.delete(key.getBytes()) : KvWrite.put(key.getBytes(), value);
                long epoch = store.write(write).await(DurabilityLevel.JOURNALED);
                log.println("ack " + epoch + " " + op + " .");
                System.out.println("acks " + n);
            }
        }
    }
}
