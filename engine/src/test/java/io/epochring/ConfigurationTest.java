package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code build()} concludes the configuration: the coordinator keeps its own copy, and a builder builds once. */
class ConfigurationTest {

    @Test
    void shouldNotLetChangesToTheBuilderAfterBuildReachTheCoordinator() {
        AtomicInteger late = new AtomicInteger();
        EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder = EpochRing.builder(new MapDelta(), new TestFlusher());
        try (var ring = builder.build().start()) {
            builder.listener(new FlushListener() {
                @Override
                public void onFlushed(EpochRange range, long nanos, int attempts) {
                    late.incrementAndGet();
                }
            });
            builder.channel("added-later", 8);

            ring.channel("default").write(new Put("a", 1));
            ring.flush().await(DurabilityLevel.WRITTEN);

            assertThat(late).hasValue(0);
            assertThat(ring.channels()).extracting(Channel::name).containsExactly("default");
        }
    }

    @Test
    void shouldRefuseToBuildASecondCoordinatorOverTheSameDelta() {
        EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder = EpochRing.builder(new MapDelta(), new TestFlusher());
        builder.build();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
                                          .hasMessageContaining("already built a coordinator").hasMessageContaining("new builder");
    }

    @Test
    void shouldReportItsNameAndTheLevelsItReports() {
        var plain = EpochRing.builder(new MapDelta(), new TestFlusher()).name("orders").build();
        var journaled = EpochRing.builder(new MapDelta(), new TestFlusher()).journal(new MemoryJournal(), new PutCodec()).build();

        assertThat(plain.name()).isEqualTo("orders");
        assertThat(plain.levels()).containsExactly(DurabilityLevel.APPLIED, DurabilityLevel.WRITTEN, DurabilityLevel.DURABLE);
        assertThat(journaled.name()).isEqualTo("epochring");
        assertThat(journaled.levels()).containsExactly(DurabilityLevel.values());
        plain.close();
        journaled.close();
    }
}
