package io.epochring;

import io.epochring.testing.EngineThreads;
import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With a journal to replay, start() allocates the ring's slots on a thread of its own while it
 * replays: the ring must work as before, and the allocating thread must be gone once start()
 * returns, whether recovery succeeded or failed.
 */
class RingAllocationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shouldRecoverIntoARingBuiltAlongsideAndLeaveNoAllocatingThread() {
        for (RingShape shape : RingShape.values()) {
            // given a journal of 100 writes
            String name = "ring-allocation-" + shape;
            MemoryJournal journal = journalOf(100);

            // when a coordinator starts on it
            EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring =
                shape.on(EpochRing.builder(new MapDelta(), new TestFlusher())).name(name).journal(journal, new PutCodec())
                     .flushInterval(Duration.ofHours(1)).build().start();
            try {
                // then it replayed them, the allocating thread has ended, and the ring takes writes
                assertThat(ring.recovery().replayed()).isEqualTo(100);
                assertThat(EngineThreads.named(name + "-ring-allocation")).as("in %s", shape).isEmpty();
                WriteHandle<Long> write = ring.channel("default").write(new Put("after", 1));
                assertThat(write.await(DurabilityLevel.JOURNALED, WAIT)).as("the delta's 101st apply").isEqualTo(101);
            } finally {
                ring.stop();
            }
            assertThat(EngineThreads.named(name)).as("threads left after stop in %s", shape).isEmpty();
        }
    }

    @Test
    void shouldLeaveNoThreadBehindWhenRecoveryFails() {
        // given a journal whose writes the delta now refuses
        MemoryJournal journal = journalOf(10);
        String name = "ring-allocation-failed";
        EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> ring =
            EpochRing.builder(new RefusingDelta(), new TestFlusher()).name(name).journal(journal, new PutCodec()).errorHandler(e -> { })
                     .build();

        // when it starts, then recovery fails, and no thread of the coordinator is left, the allocating one included
        assertThatThrownBy(ring::start).isInstanceOf(RecoveryFailedException.class).hasMessageContaining("refuses every write");
        assertThat(EngineThreads.named(name)).isEmpty();
    }

    /** @return a journal holding {@code writes} writes ({@code key-1} ... at epochs 1...), as after a crash */
    private static MemoryJournal journalOf(int writes) {
        MemoryJournal journal = new MemoryJournal();
        EpochRing<Put, Long, Map<String, Long>, Map<String, Long>> writer =
            EpochRing.builder(new MapDelta(), new TestFlusher()).name("ring-allocation-writer").journal(journal, new PutCodec())
                     .flushInterval(Duration.ofHours(1)).build().start();
        WriteHandle<Long> last = null;
        for (int i = 1; i <= writes; i++) {
            last = writer.channel("default").write(new Put("key-" + i, i));
        }
        last.await(DurabilityLevel.JOURNALED, WAIT);
        MemoryJournal crashed = journal.afterCrash(); // before stop() checkpoints them: all of them are replayed
        writer.stop();
        return crashed;
    }

    /** Refuses every write, replayed ones included. */
    private static final class RefusingDelta implements Delta<Put, Long, Map<String, Long>> {
        @Override
        public Long apply(long epoch, Put write) {
            throw new IllegalStateException("this delta refuses every write");
        }

        @Override
        public long estimatedSizeBytes() {
            return 0;
        }

        @Override
        public Map<String, Long> view() {
            return Map.of();
        }

        @Override
        public Map<String, Long> freeze() {
            return Map.of();
        }
    }
}
