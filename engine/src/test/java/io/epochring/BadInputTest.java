package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Bad input gets a clear error and leaves the coordinator working (the engine's side). */
class BadInputTest {

    private static EpochRingBuilder<Put, Long, java.util.Map<String, Long>, java.util.Map<String, Long>> builder() {
        return EpochRing.builder(new MapDelta(), new TestFlusher());
    }

    @Test
    void shouldNameTheBadFieldInConfigurationErrors() {
        assertThatThrownBy(() -> builder().ringSize(1000).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ringSize must be a power of two").hasMessageContaining("1000");
        assertThatThrownBy(() -> builder().channel("a", -1).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 'a' capacity must be > 0, was -1");
        assertThatThrownBy(() -> builder().flushInterval(Duration.ZERO).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushInterval must be > 0");
        assertThatThrownBy(() -> builder().flushInterval(Duration.ofDays(365L * 300)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushInterval must be at most 106751 days");
        assertThatThrownBy(() -> builder().flushThresholdBytes(0).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushThresholdBytes");
        assertThatThrownBy(() -> builder().linger(Duration.ofNanos(-1)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger must be from 0 to 1 ms").hasMessageContaining("PT-0.000000001S");
        assertThatThrownBy(() -> builder().linger(Duration.ofMillis(2)).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger must be from 0 to 1 ms").hasMessageContaining("PT0.002S");
        assertThatThrownBy(() -> builder().linger(null).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger must not be null");
        assertThatThrownBy(() -> builder().channel("a", 1).channel("a", 2).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is configured twice");
        assertThatThrownBy(() -> EpochRing.builder(null, new TestFlusher()).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delta must not be null");
        assertThatThrownBy(() -> builder().journal(null, null).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal and codec");
        assertThatThrownBy(() -> FlushRetryPolicy.builder().jitter(1.5).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
    }

    @Test
    void shouldRefuseAWriteTooLargeForTheJournalAndKeepEveryOtherWrite() {
        for (ThreadingMode mode : ThreadingMode.values()) {
            // given a journal that records payloads of at most 32 bytes (PutCodec: 8-byte value, 4-byte length, the key)
            MemoryJournal journal = new MemoryJournal().maxPayloadLength(32);
            var ring = builder().journal(journal, new PutCodec()).threadingMode(mode).flushInterval(Duration.ofHours(1))
                                .errorHandler(e -> { }).build().start();
            try {
                ring.channel("default").write(new Put("before", 1));

                // when a write encodes to 8 + 4 + 30 = 42 bytes
                WriteHandle<Long> tooLarge = ring.channel("default").write(new Put("k".repeat(30), 2));

                // then that write fails with its size and the limit, and is not applied
                assertThatThrownBy(() -> tooLarge.await(DurabilityLevel.APPLIED))
                    .as(mode.name()).isInstanceOf(EpochRingException.class)
                    .hasMessageContaining("write at epoch 2 on channel 'default' is too large")
                    .hasMessageContaining("encodes to 42 bytes; the journal records at most 32 bytes per write")
                    .hasMessageContaining("make the write smaller")
                    .cause().isInstanceOf(IllegalArgumentException.class);
                // and the coordinator goes on: later writes are applied, journaled and flushed
                ring.channel("default").write(new Put("after", 3)).await(DurabilityLevel.JOURNALED);
                ring.flush(true).await(DurabilityLevel.DURABLE);
                assertThat(ring.failure()).isEmpty();
                assertThat(ring.view().snapshot()).containsOnlyKeys("before", "after");
                // and the journal accounts for epoch 2 as rejected, with no payload
                assertThat(journal.records()).extracting(MemoryJournal.Record::epoch, MemoryJournal.Record::rejected,
                                                         r -> r.payload().length)
                                             .containsExactly(tuple(1L, false, 18), tuple(2L, true, 0), tuple(3L, false, 17));
            } finally {
                ring.stop();
            }
        }
    }

    @Test
    void shouldRejectNullWritesAndUnknownChannelsAndKeepWorking() {
        try (var ring = builder().channel("a", 8).build().start()) {
            Channel<Put, Long> a = ring.channel("a");
            WriteHandle<Long> before = a.write(new Put("before", 1));

            assertThatThrownBy(() -> a.tryWrite(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("write must not be null");
            assertThatThrownBy(() -> a.write(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> a.tryPublish(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ring.channel("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown channel 'nope'").hasMessageContaining("[a]");
            assertThatThrownBy(() -> before.await(DurabilityLevel.JOURNALED)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a journal");

            assertThat(a.write(new Put("after", 2)).await(DurabilityLevel.WRITTEN)).isEqualTo(2L);
            assertThat(ring.view().snapshot()).containsOnlyKeys("before", "after");
            assertThat(a.stats().submitted()).isEqualTo(2);
        }
    }
}
