package io.epochring.journal;

import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.LockHolderMain;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One writer per journal directory; readers alongside. */
class SingleWriterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldRefuseASecondWriterInTheSameJvmNamingTheDirectoryAndTheHolder() {
        Path dir = TestDirs.fresh("lock-jvm");
        try (ChronicleJournal first = ChronicleJournal.builder(dir).build()) {
            assertThatThrownBy(() -> ChronicleJournal.builder(dir).build())
                .isInstanceOf(JournalLockedException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("already open for writing by pid " + ProcessHandle.current().pid())
                .hasMessageContaining("in this JVM")
                .satisfies(e -> assertThat(((JournalLockedException) e).directory()).isEqualTo(dir));
            assertThat(first.lastEpoch()).isZero(); // the first one is unaffected
        }
        // released on close
        try (ChronicleJournal again = ChronicleJournal.builder(dir).build()) {
            assertThat(again.directory()).isEqualTo(dir);
        }
    }

    @Test
    void shouldRefuseASecondCoordinatorWhileTheFirstRuns() {
        Path dir = TestDirs.fresh("lock-ring");
        var ring = Rings.start(new MapDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build());
        try {
            ring.channel("a").write(new Put("k", 1)).await(JOURNALED, WAIT);
            assertThatThrownBy(() -> Rings.start(new MapDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build()))
                .isInstanceOf(JournalLockedException.class).hasMessageContaining(dir.toString());
        } finally {
            ring.stop(); // and stop releases it
        }
        var next = Rings.start(new MapDelta(), new TestFlusher(), ChronicleJournal.builder(dir).build());
        assertThat(next.recovery().lastEpoch()).isEqualTo(1);
        next.stop();
    }

    @Test
    void shouldRefuseAWriterWhileAnotherProcessHoldsTheDirectoryAndAcceptItOnceThatProcessIsKilled() throws Exception {
        Path dir = TestDirs.fresh("lock-process");
        try (ChildJvm holder = ChildJvm.start(LockHolderMain.class, dir.resolve("..").resolve(dir.getFileName() + "-holder.log"),
                                              dir.toString())) {
            holder.awaitLine("LOCKED", WAIT);
            assertThatThrownBy(() -> ChronicleJournal.builder(dir).build())
                .isInstanceOf(JournalLockedException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("pid " + holder.pid())
                .hasMessageContaining("stop the other one first")
                .satisfies(e -> assertThat(((JournalLockedException) e).holder()).startsWith("pid " + holder.pid()));

            // a reader may open it alongside
            try (JournalInspector inspector = JournalInspector.open(dir)) {
                assertThat(inspector.summary().records()).isZero();
            }
            holder.kill();
        }
        // the OS released the dead holder's lock
        try (ChronicleJournal journal = ChronicleJournal.builder(dir).build()) {
            assertThat(journal.lastEpoch()).isZero();
        }
    }
}
