package io.epochring.journal;

import io.epochring.journal.support.TestDirs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration is refused by build(), naming the field and what it must be. */
class ChronicleJournalBuilderTest {

    @Test
    void shouldNameEachBadField() throws IOException {
        Path dir = TestDirs.fresh("builder");
        assertBad(ChronicleJournal.builder(null), "directory must not be null");
        assertBad(ChronicleJournal.builder(dir).syncPolicy(null), "syncPolicy must not be null");
        assertBad(ChronicleJournal.builder(dir).rollCycle(null), "rollCycle must not be null");
        assertBad(ChronicleJournal.builder(dir).timeProvider(null), "timeProvider must not be null");
        assertBad(ChronicleJournal.builder(dir).retainFiles(0), "retainFiles must be >= 1, was 0");
        assertBad(ChronicleJournal.builder(dir).retainFiles(-3), "retainFiles must be >= 1, was -3");
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertBad(ChronicleJournal.builder(file), "is a file: give the journal a directory of its own");
    }

    @Test
    void shouldCreateAMissingDirectoryAndApplyTheDefaults() {
        Path dir = TestDirs.fresh("builder-defaults").resolve("nested").resolve("journal");
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).retainFiles(2).retainAll().build()) {
            assertThat(Files.isDirectory(dir)).isTrue();
            assertThat(journal.syncPolicy()).isEqualTo(SyncPolicy.NONE);
            assertThat(journal.toString()).contains(dir.toString(), "NONE");
            assertThatThrownBy(journal::applyRetention).hasMessageContaining("retention is off"); // retainAll() undid retainFiles(2)
        }
    }

    @Test
    void shouldRefuseUseAfterClose() {
        ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("closed")).build();
        journal.close();
        journal.close(); // idempotent
        assertThatThrownBy(journal::lastEpoch).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> journal.checkpoint(1, 1)).isInstanceOf(IllegalStateException.class);
    }

    private static void assertBad(ChronicleJournalBuilder builder, String message) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                                          .hasMessageStartingWith("bad ChronicleJournal configuration: ")
                                          .hasMessageContaining(message);
    }
}
