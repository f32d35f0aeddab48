package io.epochring.kv;

import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.ChronicleJournalBuilder;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Opens the store's Chronicle Queue journal as its options say. */
final class StoreJournal {

    private StoreJournal() {
    }

    /**
     * @throws io.epochring.journal.JournalLockedException when another coordinator writes the journal
     * @throws KvStoreException when the directory cannot be created or locked
     */
    static ChronicleJournal open(Path dir, KvOptions options) {
        ChronicleJournalBuilder builder = ChronicleJournal.builder(dir).syncPolicy(options.journalSync());
        if (options.journalRetainFiles() > 0) {
            builder.retainFiles(options.journalRetainFiles());
        }
        if (options.journalAdoptCodec()) {
            builder.adoptCodec();
        }
        try {
            return builder.build();
        } catch (UncheckedIOException e) {
            throw new KvStoreException(e.getMessage(), e);
        }
    }
}
