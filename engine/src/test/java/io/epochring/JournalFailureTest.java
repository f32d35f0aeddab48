package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's side of journal failures: a batch that cannot be committed is never reported
 * JOURNALED, a checkpoint that cannot be written never lets DURABLE move, and either puts the
 * coordinator in its failed state instead of wedging a thread.
 */
class JournalFailureTest {

    /** An in-memory journal that can be told to fail its next commit or checkpoint. */
    static final class FakeJournal implements Journal {
        final List<Long> appended = new ArrayList<>();
        volatile boolean failCommit;
        volatile boolean failCheckpoint;

        @Override
        public Checkpoint lastCheckpoint() {
            return Checkpoint.NONE;
        }

        @Override
        public long lastEpoch() {
            return 0;
        }

        @Override
        public long replay(long afterEpoch, ReplayHandler handler) {
            return 0;
        }

        @Override
        public void append(long epoch, String channel, DirectBuffer payload, int offset, int length) {
            appended.add(epoch);
        }

        @Override
        public void commit() {
            if (failCommit) {
                throw new UncheckedIOException(new java.io.IOException("msync failed: no space left on device"));
            }
        }

        @Override
        public void checkpoint(long durableEpoch, long writtenEpoch) {
            if (failCheckpoint) {
                throw new UncheckedIOException(new java.io.IOException("checkpoint append failed"));
            }
        }

        @Override
        public void close() {
        }
    }

    static final class PutCodec implements WriteCodec<Put> {
        @Override
        public int encode(Put write, MutableDirectBuffer buffer, int offset) {
            buffer.putLong(offset, write.value());
            return Long.BYTES;
        }

        @Override
        public Put decode(DirectBuffer buffer, int offset, int length) {
            return new Put("replayed", buffer.getLong(offset));
        }
    }

    @Test
    void shouldNeverReportJournaledForABatchThatCouldNotBeCommitted() {
        FakeJournal journal = new FakeJournal();
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec())
                            .errorHandler(e -> { }).build().start();
        ring.channel("default").write(new Put("a", 1)).await(DurabilityLevel.JOURNALED);
        journal.failCommit = true;
        WriteHandle<Long> unsynced = ring.channel("default").write(new Put("b", 2));

        assertThatThrownBy(() -> unsynced.await(DurabilityLevel.JOURNALED))
            .isInstanceOf(FlushFailedException.class).hasMessageContaining("could not commit")
            .hasRootCauseMessage("msync failed: no space left on device");
        journal.failCommit = false;
        assertThat(ring.watermark(DurabilityLevel.JOURNALED)).isEqualTo(1);
        assertThatThrownBy(() -> ring.channel("default").tryWrite(new Put("c", 3))).isInstanceOf(CoordinatorFailedException.class);
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
        assertThat(ring.watermark(DurabilityLevel.JOURNALED)).isEqualTo(1);
    }

    @Test
    void shouldFailInsteadOfHangingWhenACheckpointCannotBeWritten() {
        FakeJournal journal = new FakeJournal();
        journal.failCheckpoint = true;
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new PutCodec())
                            .errorHandler(e -> { }).build().start();
        WriteHandle<Long> write = ring.channel("default").write(new Put("a", 1));
        ring.flush(true);

        assertThatThrownBy(() -> write.await(DurabilityLevel.DURABLE))
            .isInstanceOf(FlushFailedException.class).hasMessageContaining("journal checkpoint could not be written");
        assertThat(ring.watermark(DurabilityLevel.DURABLE)).isZero();
        assertThat(write.await(DurabilityLevel.WRITTEN)).isEqualTo(1L);
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
    }
}
