package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.PutCodec;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's side of journal failures: a batch that cannot be committed is never reported
 * JOURNALED, a checkpoint that cannot be written never lets DURABLE move, and either puts the
 * coordinator in its failed state instead of wedging a thread.
 */
class JournalFailureTest {

    @Test
    void shouldNeverReportJournaledForABatchThatCouldNotBeCommitted() {
        MemoryJournal journal = new MemoryJournal();
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec())
                            .errorHandler(e -> { }).build().start();
        ring.channel("default").write(new Put("a", 1)).await(DurabilityLevel.JOURNALED);
        journal.failCommits(() -> new UncheckedIOException(new java.io.IOException("msync failed: no space left on device")));
        WriteHandle<Long> unsynced = ring.channel("default").write(new Put("b", 2));

        assertThatThrownBy(() -> unsynced.await(DurabilityLevel.JOURNALED))
            .isInstanceOf(JournalFailedException.class).hasMessageContaining("could not commit")
            .hasRootCauseMessage("msync failed: no space left on device");
        journal.failCommits(null);
        assertThat(ring.watermark(DurabilityLevel.JOURNALED)).isEqualTo(1);
        assertThatThrownBy(() -> ring.channel("default").tryWrite(new Put("c", 3))).isInstanceOf(CoordinatorFailedException.class);
        assertThatThrownBy(ring::stop).isInstanceOf(JournalFailedException.class);
        assertThat(ring.watermark(DurabilityLevel.JOURNALED)).isEqualTo(1);
    }

    @Test
    void shouldFailInsteadOfHangingWhenACheckpointCannotBeWritten() {
        MemoryJournal journal = new MemoryJournal();
        journal.failCheckpoints(() -> new UncheckedIOException(new java.io.IOException("checkpoint append failed")));
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec())
                            .errorHandler(e -> { }).build().start();
        WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
        ring.flush(true);

        assertThatThrownBy(() -> write.await(DurabilityLevel.DURABLE))
            .isInstanceOf(JournalFailedException.class).hasMessageContaining("journal checkpoint could not be written");
        assertThat(ring.watermark(DurabilityLevel.DURABLE)).isZero();
        assertThat(write.await(DurabilityLevel.WRITTEN)).isEqualTo(1L);
        assertThatThrownBy(ring::stop).isInstanceOf(JournalFailedException.class);
    }
}
