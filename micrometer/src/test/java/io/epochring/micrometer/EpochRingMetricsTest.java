package io.epochring.micrometer;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.SinkOptions;
import io.epochring.journal.ChronicleJournal;
import io.epochring.testing.LedgerSink;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binder's meters read the coordinator's, channels', sinks' and journal's statistics. */
class EpochRingMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldReadCoordinatorChannelSinkAndJournalStatistics() {
        ChronicleJournal journal = ChronicleJournal.builder(journalDir("stats")).build();
        LedgerSink replica = new LedgerSink(true);
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("orders-ring").flushInterval(Duration.ofHours(1))
                                 .channel("orders", 64).channel("audit", 2).journal(journal, new PutCodec())
                                 .sink("replica", replica, SinkOptions.required()).errorHandler(e -> { }).build().start()) {
            EpochRingMetrics.builder(ring).journal(journal).tags(Tags.of("service", "test")).build().bindTo(registry);

            // given ten writes on orders (one the delta refuses), and a full audit channel refusing two
            Channel<Put, Long> orders = ring.channel("orders");
            for (int i = 0; i < 10; i++) {
                orders.publish(new Put(i == 3 ? "fail-3" : "k" + i, i));
            }
            Channel<Put, Long> audit = ring.channel("audit");
            audit.pause();
            audit.publish(new Put("a1", 1));
            audit.publish(new Put("a2", 2));
            assertThat(audit.tryPublish(new Put("a3", 3))).isFalse();
            assertThat(audit.tryPublish(new Put("a3", 3))).isFalse();

            // then the channel meters count them
            assertThat(counter("epochring.writes", "orders")).isEqualTo(10);
            assertThat(counter("epochring.writes", "audit")).isEqualTo(2);
            assertThat(counter("epochring.writes.rejected", "audit")).isEqualTo(2);
            assertThat(gauge("epochring.channel.depth", "channel", "audit")).isEqualTo(2);
            assertThat(gauge("epochring.channel.depth.max", "channel", "audit")).isEqualTo(2);
            assertThat(gauge("epochring.channel.capacity", "channel", "audit")).isEqualTo(2);

            // when the held writes apply and everything is flushed and synced
            audit.resume();
            ring.flush(true).await(DurabilityLevel.DURABLE);

            // then the coordinator's, the sink's and the journal's meters say so
            assertThat(counter("epochring.writes.applied", "orders")).isEqualTo(10);
            assertThat(counter("epochring.writes.applied", "audit")).isEqualTo(2);
            assertThat(gauge("epochring.channel.depth", "channel", "audit")).isZero();
            for (String level : new String[] {"applied", "journaled", "written", "durable"}) {
                assertThat(gauge("epochring.watermark", "level", level)).as(level).isEqualTo(12);
            }
            var flush = registry.get("epochring.flush").tag("ring", "orders-ring").functionTimer();
            assertThat(flush.count()).isEqualTo(1);
            assertThat(flush.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("epochring.flush.max").timeGauge().value(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("epochring.flush.failures").functionCounter().count()).isZero();
            assertThat(registry.get("epochring.failed").gauge().value()).isZero();

            assertThat(gauge("epochring.sink.delivered.epoch", "sink", "replica")).isEqualTo(12);
            assertThat(registry.get("epochring.sink.calls").tag("sink", "replica").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("epochring.sink.deltas.delivered").functionCounter().count()).isEqualTo(1);
            assertThat(gauge("epochring.sink.health", "sink", "replica")).isZero();
            assertThat(gauge("epochring.sink.queued", "sink", "replica")).isZero();

            assertThat(registry.get("epochring.journal.appends").functionCounter().count()).isEqualTo(12);
            assertThat(registry.get("epochring.journal.checkpoints").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("epochring.journal.commits").functionCounter().count()).isPositive();

            // and every meter carries the ring's name and the extra tags
            assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("ring")).isEqualTo("orders-ring"))
                                            .allSatisfy(m -> assertThat(m.getId().getTag("service")).isEqualTo("test"));
        }
    }

    @Test
    void shouldBindNoJournalOrJournaledWatermarkWithoutAJournal() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start()) {
            EpochRingMetrics.builder(ring).build().bindTo(registry);

            assertThat(registry.getMeters()).extracting(m -> m.getId().getName()).noneMatch(n -> n.startsWith("epochring.journal"));
            assertThat(registry.find("epochring.watermark").gauges()).extracting(g -> g.getId().getTag("level"))
                                                                    .containsExactlyInAnyOrder("applied", "written", "durable");
        }
    }

    @Test
    void shouldShowAFailedCoordinator() {
        TestFlusher storage = new TestFlusher();
        storage.failNext(1, () -> new IllegalStateException("storage is read-only"));
        var ring = EpochRing.builder(new MapDelta(), storage).retryPolicy(io.epochring.FlushRetryPolicy.none()).errorHandler(e -> { })
                            .build().start();
        EpochRingMetrics.builder(ring).build().bindTo(registry);

        ring.channel("default").publish(new Put("a", 1));
        assertThatThrownBy(() -> ring.flush().await(DurabilityLevel.WRITTEN)).isInstanceOf(io.epochring.FlushFailedException.class);

        assertThat(registry.get("epochring.failed").gauge().value()).isEqualTo(1);
        assertThat(registry.get("epochring.flush.failures").functionCounter().count()).isEqualTo(1);
        assertThatThrownBy(ring::stop).isInstanceOf(io.epochring.FlushFailedException.class);
    }

    @Test
    void shouldRefuseToBindACoordinatorNotStartedYet() {
        var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("early").build();

        assertThatThrownBy(() -> EpochRingMetrics.builder(ring).build().bindTo(registry))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("bind EpochRingMetrics after EpochRing[early, new] has started (call start() first)");
        assertThat(registry.getMeters()).isEmpty();
        ring.close();
    }

    private double counter(String name, String channel) {
        return registry.get(name).tag("channel", channel).functionCounter().count();
    }

    private double gauge(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).gauge().value();
    }

    static Path journalDir(String name) {
        return Path.of("target", "journals", name + "-" + System.nanoTime());
    }
}
