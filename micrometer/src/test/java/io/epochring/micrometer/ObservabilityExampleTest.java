package io.epochring.micrometer;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.SinkOptions;
import io.epochring.journal.ChronicleJournal;
import io.epochring.testing.Await;
import io.epochring.testing.LedgerSink;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.TestFlusher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A journaled coordinator with two channels and a sink, scraped by Prometheus and recorded by JFR
 * at once: the README's excerpts come from target/observability/prometheus.txt and from
 * {@code jfr print} on target/observability/epochring.jfr.
 */
class ObservabilityExampleTest {

    @Test
    void shouldExposeOneCoordinatorToPrometheusAndJfr() throws Exception {
        Path out = Files.createDirectories(Path.of("target", "observability"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ChronicleJournal journal = ChronicleJournal.builder(EpochRingMetricsTest.journalDir("example")).build();
        try (Recording recording = new Recording()) {
            for (String event : new String[] {"Flush", "Sync", "Checkpoint", "Recovery", "Failure", "Backpressure"}) {
                recording.enable("io.epochring." + event).withoutThreshold();
            }
            recording.start();
            try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).name("orders").flushInterval(Duration.ofHours(1))
                                     .channel("orders", 1024).channel("audit", 16).journal(journal, new PutCodec())
                                     .sink("replica", new LedgerSink(true), SinkOptions.optional()).build().start()) {
                EpochRingMetrics.builder(ring).journal(journal).build().bindTo(registry);
                SampledChannel<Put, Long> orders = SampledChannel.builder(ring, "orders").sampleEvery(64).register(registry);

                for (int i = 1; i <= 10_000; i++) {
                    orders.publish(new Put("k" + (i % 1000), i));
                    if (i % 2_500 == 0) {
                        ring.flush(true);
                    }
                }
                Channel<Put, Long> audit = ring.channel("audit");
                audit.pause();
                for (int i = 0; i < 16; i++) {
                    audit.publish(new Put("a" + i, i));
                }
                for (int i = 0; i < 3; i++) {
                    assertThat(audit.tryPublish(new Put("refused", i))).isFalse();
                }
                audit.resume();
                ring.flush(true).await(DurabilityLevel.DURABLE);
                Await.until("sampled writes to be timed", () -> orders.inFlight() == 0);

                String scrape = registry.scrape();
                Files.writeString(out.resolve("prometheus.txt"), scrape);
                assertThat(scrape).contains("epochring_writes_total{channel=\"orders\",ring=\"orders\"} 10000")
                                  .contains("epochring_writes_rejected_total{channel=\"audit\",ring=\"orders\"} 3")
                                  .contains("epochring_watermark{level=\"durable\",ring=\"orders\"} 10016")
                                  .contains("epochring_write_latency_seconds_count{channel=\"orders\",level=\"durable\",ring=\"orders\"}")
                                  .contains("epochring_journal_appends_total{ring=\"orders\"} 10016")
                                  .contains("epochring_sink_delivered_epoch{ring=\"orders\",sink=\"replica\"} 10016");
            }
            recording.stop();
            Path jfr = out.resolve("epochring.jfr");
            recording.dump(jfr);
            assertThat(RecordingFile.readAllEvents(jfr)).extracting(e -> e.getEventType().getName())
                                                        .contains("io.epochring.Recovery", "io.epochring.Flush", "io.epochring.Sync",
                                                                  "io.epochring.Checkpoint", "io.epochring.Backpressure");
        }
    }
}
