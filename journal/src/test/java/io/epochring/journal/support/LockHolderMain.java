package io.epochring.journal.support;

import io.epochring.journal.ChronicleJournal;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Opens the journal in {@code args[0]} for writing, prints {@code LOCKED pid}, and holds it until killed. */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        ChronicleJournal journal = ChronicleJournal.builder(Path.of(args[0])).build();
        System.out.println("LOCKED " + ProcessHandle.current().pid() + " " + journal.directory());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
