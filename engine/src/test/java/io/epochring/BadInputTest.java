package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThatThrownBy(() -> builder().flushThresholdBytes(0).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushThresholdBytes");
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
