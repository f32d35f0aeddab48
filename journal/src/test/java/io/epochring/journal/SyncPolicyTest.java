package io.epochring.journal;

import io.epochring.WriteHandle;
import io.epochring.journal.support.Rings;
import io.epochring.journal.support.TestDirs;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sync policies (none, per batch or on interval); DURABLE only claims what was synced. */
class SyncPolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldNeverSyncUnderPolicyNone() {
        ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("sync-none")).syncPolicy(SyncPolicy.NONE).build();
        var ring = Rings.start(new MapDelta(), new TestFlusher(), journal);
        try {
            for (int i = 1; i <= 50; i++) {
                ring.channel("a").write(new Put("k" + i, i)).await(JOURNALED, WAIT);
            }
            ring.flush(true).await(DURABLE, WAIT);
            JournalStats stats = journal.stats();
            assertThat(stats.appends()).isEqualTo(50);
            assertThat(stats.checkpoints()).isEqualTo(1);
            assertThat(stats.syncs()).isZero();
            assertThat(stats.syncedEpoch()).isZero();
            assertThat(stats.checkpointSyncs()).isZero();
        } finally {
            ring.stop();
        }
    }

    @Test
    void shouldSyncEveryBatchBeforeItIsJournaledAndEveryCheckpointBeforeItIsDurableUnderPerBatch() {
        ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("sync-batch")).syncPolicy(SyncPolicy.PER_BATCH).build();
        var ring = Rings.start(new MapDelta(), new TestFlusher(), journal);
        try {
            for (int i = 1; i <= 50; i++) {
                WriteHandle<Long> handle = ring.channel(i % 2 == 0 ? "a" : "b").write(new Put("k" + i, i));
                handle.await(JOURNALED, WAIT);
                // JOURNALED follows the commit, and under PER_BATCH the commit msyncs first
                assertThat(journal.stats().syncedEpoch()).isGreaterThanOrEqualTo(handle.epoch());
                if (i % 10 == 0) {
                    ring.flush(true).await(DURABLE, WAIT);
                    // DURABLE follows the checkpoint, which is synced before the call returns
                    assertThat(journal.stats().syncedCheckpoint()).isGreaterThanOrEqualTo(handle.epoch());
                }
            }
            JournalStats stats = journal.stats();
            assertThat(stats.syncs()).isEqualTo(stats.commits());
            assertThat(stats.checkpoints()).isEqualTo(5);
            assertThat(stats.checkpointSyncs()).isEqualTo(5);
        } finally {
            ring.stop();
        }
    }

    @Test
    void shouldSyncAtMostOncePerIntervalAtBatchEndsAndEveryCheckpointUnderInterval() {
        SetTimeProvider time = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (ChronicleJournal journal = ChronicleJournal.builder(TestDirs.fresh("sync-interval")).timeProvider(time)
                                                        .syncPolicy(SyncPolicy.interval(Duration.ofMillis(10))).build()) {
            ChronicleJournalTest.append(journal, 1, "a", "x");
            journal.commit();
            assertThat(journal.stats().syncs()).as("the interval has not passed since the journal opened").isZero();

            time.advanceMillis(10);
            ChronicleJournalTest.append(journal, 2, "a", "x");
            journal.commit();
            assertThat(journal.stats().syncs()).isEqualTo(1);
            assertThat(journal.stats().syncedEpoch()).isEqualTo(2);

            time.advanceMillis(5);
            ChronicleJournalTest.append(journal, 3, "a", "x");
            journal.commit();
            assertThat(journal.stats().syncs()).isEqualTo(1);

            time.advanceMillis(5);
            journal.commit(); // epoch 3 has waited an interval: this batch end syncs it, though the batch is empty
            assertThat(journal.stats().syncs()).isEqualTo(2);
            assertThat(journal.stats().syncedEpoch()).isEqualTo(3);

            time.advanceMillis(10);
            journal.commit(); // nothing unsynced: nothing to do
            assertThat(journal.stats().syncs()).isEqualTo(2);
            ChronicleJournalTest.append(journal, 4, "a", "x");
            journal.commit();
            assertThat(journal.stats().syncs()).isEqualTo(3);
            assertThat(journal.stats().syncedEpoch()).isEqualTo(4);

            journal.checkpoint(4, 4);
            assertThat(journal.stats().checkpointSyncs()).isEqualTo(1);
            assertThat(journal.stats().syncedCheckpoint()).isEqualTo(4);
        }
    }

    @Test
    void shouldRefuseAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> SyncPolicy.interval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                                                                 .hasMessageContaining("sync interval must be > 0, was PT0S");
        assertThatThrownBy(() -> SyncPolicy.interval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyncPolicy.interval(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyncPolicy.interval(Duration.ofDays(365L * 300))).isInstanceOf(IllegalArgumentException.class)
                                                                                  .hasMessageContaining("at most 9223372036854775807 ns");
        assertThat(SyncPolicy.interval(Duration.ofMillis(5))).isEqualTo(SyncPolicy.interval(Duration.ofMillis(5)));
        assertThat(SyncPolicy.interval(Duration.ofMillis(5)).toString()).isEqualTo("INTERVAL(PT0.005S)");
    }
}
