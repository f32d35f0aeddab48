package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {

    @Test
    void shouldApplyFlushAndStop() {
        TestFlusher flusher = new TestFlusher();
        for (ThreadingMode mode : ThreadingMode.values()) {
            var ring = EpochRing.builder(new MapDelta(), flusher).threadingMode(mode).build().start();
            WriteHandle<Long> h = ring.channel("default").write(new Put("a", 1));
            assertThat(h.await(DurabilityLevel.APPLIED)).isEqualTo(1L);
            assertThat(h.epoch()).isEqualTo(1);
            ring.flush(true).await(DurabilityLevel.DURABLE);
            assertThat(ring.view().snapshot()).containsEntry("a", 1L);
            ring.stop();
        }
    }
}
