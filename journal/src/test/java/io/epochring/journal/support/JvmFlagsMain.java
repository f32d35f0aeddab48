package io.epochring.journal.support;

import io.epochring.EpochRingException;
import io.epochring.journal.ChronicleJournal;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;

/**
 * Opens a journal in {@code args[0]}, appends and replays one write, and prints {@code OPENED n}
 * (n records replayed); or prints {@code REFUSED <message>} when the journal refuses the JVM it
 * runs in. Anything else ends the process with its stack trace in the log.
 */
public final class JvmFlagsMain {

    private JvmFlagsMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try {
            try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
                journal.replay(0, (epoch, channel, payload, offset, length) -> { });
                journal.append(1, "flags", new UnsafeBuffer(new byte[8]), 0, 8);
                journal.commit();
            }
            try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
                System.out.println("OPENED " + journal.replay(0, (epoch, channel, payload, offset, length) -> { }));
            }
        } catch (EpochRingException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
        System.out.flush();
    }
}
