package io.epochring.journal.support;

import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Appends writes of 100 to 200 bytes to the journal in {@code args[0]}, committing every ten under
 * {@link SyncPolicy#PER_BATCH}, until an append or commit fails (a full disk), then prints
 * {@code RESULT appended committed} and {@code FAILURE} with the failure and its cause, and exits.
 *
 * <p>A JVM of its own because of assertions: tests run with them on, and Chronicle then reads the
 * bytes after each record it completes, which makes the JVM report a fault in a page the disk had
 * no room for while the record is still incomplete. Without them, as in production, the fault is
 * reported later, after Chronicle has completed the record.
 */
public final class FullDiskWriterMain {

    private static final int MAX_PAYLOAD = 200;

    private FullDiskWriterMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long appended = 0;
        long committed = 0;
        Throwable failure = null;
        // The loop allocates nothing, so that a fault is raised in the journal's code, not here.
        UnsafeBuffer payload = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).syncPolicy(SyncPolicy.PER_BATCH).build()) {
            for (long epoch = 1; failure == null && epoch <= 1_000_000; epoch++) {
                int length = payloadLength(epoch);
                fillPayload(payload, epoch, length);
                try {
                    journal.append(epoch, "c", payload, 0, length);
                    appended = epoch;
                    if (epoch % 10 == 0) {
                        journal.commit();
                        committed = epoch;
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }
        }
        System.out.println("RESULT " + appended + " " + committed);
        System.out.println("FAILURE " + (failure == null ? "none" : failure + " CAUSE " + failure.getCause()));
    }

    /** 100 to 200 bytes (records of 129 to 229), varying from one epoch to the next. */
    public static int payloadLength(long epoch) {
        return 100 + (int) (epoch * 37 % 101);
    }

    /** The first {@code length} bytes of a payload that differs for every epoch, with no zero byte. */
    public static void fillPayload(MutableDirectBuffer payload, long epoch, int length) {
        for (int i = 0; i < length; i++) {
            payload.putByte(i, (byte) (1 + (epoch * 31 + i * 7) % 255));
        }
    }
}
