package io.epochring.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report tool turns a JMH JSON file into a markdown table with ratios and verdicts, and PNG charts. */
class PerfReportTest {

    @TempDir
    Path folder;

    @Test
    void shouldWriteRatiosVerdictsAndChartsForEachBenchmark() throws Exception {
        Path json = folder.resolve("2026-01-01-jdk17-2cores-full.json");
        Files.writeString(json, "[" + String.join(",",
            throughput("OneToOneApplyThroughput.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"waitStrategy\":\"yielding\",\"ringSize\":\"65536\"", 30e6, 1e6, 0.02),
            throughput("OneToOneApplyThroughput.epochRing", "\"threadingMode\":\"THREAD_PER_STAGE\",\"waitStrategy\":\"yielding\",\"ringSize\":\"65536\"", 10e6, 1e6, 12),
            throughput("OneToOneApplyThroughput.peer", "\"ringSize\":\"65536\"", 12e6, 0.5e6, 25),
            throughput("OneToOneApplyThroughput.ceiling", "\"waitStrategy\":\"yielding\",\"ringSize\":\"65536\"", 45e6, 2e6, 0),
            latency("PingPongApplyLatency.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"waitStrategy\":\"yielding\"", 0.5, 4.0, 73),
            latency("PingPongApplyLatency.peer", null, 8.0, 30.0, 170)) + "]");

        Path report = PerfReport.render(json, folder.resolve("out"));

        String md = Files.readString(report);
        assertThat(report.getFileName().toString()).isEqualTo("2026-01-01-jdk17-2cores-full.md");
        assertThat(md).contains("| cores | 2 |");
        assertThat(md).contains("| EpochRing SINGLE_THREAD | yielding / 65536 | 30.00 M (30.00 M ± 1.00 M) | 12.00 M (12.00 M ± 500.0 k) | 2.50× | 45.00 M (45.00 M ± 2.00 M) | 0.67× | met (peer ≥ 2.00×), met (ceiling ≥ 0.60×) |");
        assertThat(md).contains("| EpochRing THREAD_PER_STAGE | yielding / 65536 | 10.00 M (10.00 M ± 1.00 M) | 12.00 M (12.00 M ± 500.0 k) | 0.83× | 45.00 M (45.00 M ± 2.00 M) | 0.22× | **missed** (peer ≥ 2.00×), **missed** (ceiling ≥ 0.60×) |");
        assertThat(md).contains("| 1. apply throughput: >= 2x the peer | partly: 1 of 2 | 2.50× (EpochRing SINGLE_THREAD yielding / 65536) | 0.83× (EpochRing THREAD_PER_STAGE yielding / 65536) |");
        assertThat(md).contains("| 3. latency p99: <= 0.5x the peer's | met: 1 of 1 | 0.13× (EpochRing SINGLE_THREAD yielding) |");
        assertThat(md).contains("| 7. allocation, fire-and-forget: <= 8 B/write | partly: 1 of 2 | 0.02 B");
        assertThat(md).contains("| PingPongApplyLatency | EpochRing SINGLE_THREAD | yielding | 73 | met (≤ 128 B) |");
        assertThat(md).contains("| 2. two producers: >= 2x the peer | not measured | - | - |");
        assertThat(md).contains("![OneToOneApplyThroughput](2026-01-01-jdk17-2cores-full-OneToOneApplyThroughput.png)");

        for (String chart : List.of("OneToOneApplyThroughput", "PingPongApplyLatency")) {
            BufferedImage png = ImageIO.read(folder.resolve("out/2026-01-01-jdk17-2cores-full-" + chart + ".png").toFile());
            assertThat(png.getWidth()).isEqualTo(Charts.WIDTH);
            assertThat(png.getHeight()).isEqualTo(Charts.HEIGHT);
        }
    }

    @Test
    void shouldNameTheBenchmarksThatRanWithTheirOwnJvmFlags() throws Exception {
        // given: the ping-pong twice, once in a JVM with flags of its own (as PingPongApplyLatencyTunedJvm's @Fork sets)
        String tuned = "[\"-Xmx1g\", \"-XX:+AlwaysPreTouch\"]";
        Path json = folder.resolve("2026-01-01-jdk17-2cores-flags.json");
        Files.writeString(json, "[" + String.join(",",
            latency("PingPongApplyLatency.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"waitStrategy\":\"sleeping\"", 2.0, 30.0, 73),
            latency("PingPongApplyLatency.peer", null, 30.0, 100.0, 170),
            latency("PingPongApplyLatencyTunedJvm.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"waitStrategy\":\"sleeping\"", 2.0, 9.0, 73)
                .replace("[\"-Xmx1g\"]", tuned),
            latency("PingPongApplyLatencyTunedJvm.peer", null, 25.0, 80.0, 170).replace("[\"-Xmx1g\"]", tuned)) + "]");

        // when
        String md = Files.readString(PerfReport.render(json, folder.resolve("out")));

        // then: one row per set of flags, and the settings both share in one row
        assertThat(md).contains("| JVM flags, PingPongApplyLatency | `-Xmx1g` |");
        assertThat(md).contains("| JVM flags, PingPongApplyLatencyTunedJvm | `-Xmx1g -XX:+AlwaysPreTouch` |");
        assertThat(md).contains("| forks × iterations | 2 × (");
        assertThat(md).contains("| 3. latency p99, JVM tuned for latency: <= 0.1x the peer's | **missed**: 0 of 1 | 0.11× (EpochRing SINGLE_THREAD sleeping) |");
    }

    @Test
    void shouldCompareTheJournalBenchmarksWithACeilingThatHasAParameterOfItsOwn() throws Exception {
        // given: DurableGroupCommit's ceiling has syncEvery, which the EpochRing row has not
        Path json = folder.resolve("2026-01-01-jdk17-2cores-quick.json");
        Files.writeString(json, "[" + String.join(",",
            throughput("DurableGroupCommit.epochRing", "\"payloadBytes\":\"24\",\"threadingMode\":\"SINGLE_THREAD\"", 600e3, 20e3, 1),
            throughput("DurableGroupCommit.ceiling", "\"payloadBytes\":\"24\",\"syncEvery\":\"500\"", 1e6, 30e3, 0),
            throughput("ReplayThroughput.epochRing", "\"payloadBytes\":\"24\"", 4e6, 0.1e6, 0),
            throughput("ReplayThroughput.ceiling", "\"payloadBytes\":\"24\"", 16e6, 1e6, 0)) + "]");

        // when
        Path report = PerfReport.render(json, folder.resolve("out"));

        // then
        String md = Files.readString(report);
        assertThat(md).contains("| EpochRing SINGLE_THREAD | 24 | 600.0 k (600.0 k ± 20.0 k) | 1.00 M (1.00 M ± 30.0 k) | 0.60× | met (ceiling ≥ 0.50×) |");
        assertThat(md).contains("Comparison rows: ceiling 24 / 500 = 1.00 M (1.00 M ± 30.0 k).");
        assertThat(md).contains("| 6. replay: >= 50% of the raw tailer | **missed**: 0 of 1 | 0.25× (EpochRing 24) | 0.25× (EpochRing 24) |");
        assertThat(ImageIO.read(folder.resolve("out/2026-01-01-jdk17-2cores-quick-DurableGroupCommit.png").toFile())).isNotNull();
    }

    @Test
    void shouldReadLatenciesFromEveryRoundTripWhenTheRunRecordedThem() throws Exception {
        // given: JMH's samples put our p99 at 20 us (0.20x the peer's 100); every round trip puts it at 6 (0.075x of 80)
        Path json = folder.resolve("2026-01-01-jdk17-2cores-roundtrips.json");
        Files.writeString(json, "[" + String.join(",",
            withRoundTrips(latency("PingPongApplyLatencyTunedJvm.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"waitStrategy\":\"sleeping\"", 2.0, 20.0, 73), 1.9, 6.0),
            withRoundTrips(latency("PingPongApplyLatencyTunedJvm.peer", null, 30.0, 100.0, 170), 29.0, 80.0)) + "]");

        // when
        Path report = PerfReport.render(json, folder.resolve("out"));

        // then: the table, the ratio and the verdict read every round trip; JMH's sampled p99 stands beside them
        String md = Files.readString(report);
        assertThat(md).contains("| EpochRing SINGLE_THREAD | sleeping | 1.90 | 3.80 | 6.00 | 18.00 | 60.00 | 600 | 20.00 | 0.08× | met (≤ 0.10×) |");
        assertThat(md).contains("| peer | - | 29.00 | 58.00 | 80.00 | 240 | 800 | 8000 | 100 | - | - |");
        assertThat(md).contains("| 3. latency p99, JVM tuned for latency: <= 0.1x the peer's | met: 1 of 1 | 0.08× ");
        assertThat(md).contains("percentiles of every round trip (HdrHistogram, RoundTripProfiler)");
        assertThat(ImageIO.read(folder.resolve("out/2026-01-01-jdk17-2cores-roundtrips-PingPongApplyLatencyTunedJvm.png").toFile())).isNotNull();
    }

    @Test
    void shouldJudgeThroughputTargetsOnMediansNotOnMeansPulledByOneSlowFork() throws Exception {
        // given: a mean dragged down by a slow fork (median 24 M, mean 15 M) against a steady peer
        Path json = folder.resolve("2026-01-01-jdk17-2cores-modes.json");
        Files.writeString(json, "[" + String.join(",",
            throughput("OneToOneApplyThroughput.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"waitStrategy\":\"sleeping\",\"ringSize\":\"65536\"", 15e6, 9e6, 24e6, 0),
            throughput("OneToOneApplyThroughput.peer", "\"ringSize\":\"65536\"", 10e6, 1e6, 10e6, 0)) + "]");

        // when
        String md = Files.readString(PerfReport.render(json, folder.resolve("out")));

        // then: 24 / 10, not 15 / 10
        assertThat(md).contains("| EpochRing SINGLE_THREAD | sleeping / 65536 | 24.00 M (15.00 M ± 9.00 M) | 10.00 M (10.00 M ± 1.00 M) | 2.40× | met (peer ≥ 2.00×) |");
        assertThat(md).contains("| 1. apply throughput: >= 2x the peer | met: 1 of 1 | 2.40× ");
    }

    @Test
    void shouldCompareReplicatedRowsWithTheJournaledBaselineOfTheSameParameters() throws Exception {
        // given: no EpochRing-against-peer rows, a baseline row per window instead
        Path json = folder.resolve("2026-01-01-jdk17-2cores-replicated.json");
        Files.writeString(json, "[" + String.join(",",
            latency("ReplicatedLatency.replicated", "\"aeronIdle\":\"backoff\",\"payloadBytes\":\"24\"", 2000, 8000, 0),
            latency("ReplicatedLatency.journaled", "\"payloadBytes\":\"24\"", 10, 400, 0),
            throughput("ReplicatedThroughput.replicated", "\"aeronIdle\":\"backoff\",\"payloadBytes\":\"24\",\"window\":\"256\"", 20e3, 1e3, 0),
            throughput("ReplicatedThroughput.journaled", "\"payloadBytes\":\"24\",\"window\":\"256\"", 1e6, 1e5, 0),
            throughput("ReplicatedThroughput.journaled", "\"payloadBytes\":\"24\",\"window\":\"1024\"", 2e6, 1e5, 0)) + "]");

        // when
        Path report = PerfReport.render(json, folder.resolve("out"));

        // then
        String md = Files.readString(report);
        assertThat(md).contains("| replicated | backoff / 24 | 2000 | 8000 | 24.0 k | 800.0 k | 200.00× | 20.00× | 20.00× |");
        assertThat(md).contains("| journaled | 24 | 10.00 | 400 | 1200 | 40.0 k | - | - | - |");
        assertThat(md).contains("| replicated | backoff / 24 / 256 | 20.0 k (20.0 k ± 1000) | 0.02× |");
        assertThat(md).contains("| journaled | 24 / 1024 | 2.00 M (2.00 M ± 100.0 k) | - |");
        assertThat(ImageIO.read(folder.resolve("out/2026-01-01-jdk17-2cores-replicated-ReplicatedThroughput.png").toFile())).isNotNull();
        assertThat(ImageIO.read(folder.resolve("out/2026-01-01-jdk17-2cores-replicated-ReplicatedLatency.png").toFile())).isNotNull();
    }

    @Test
    void shouldRefuseAFileThatIsNotAJmhResult() throws Exception {
        Path json = folder.resolve("bad.json");
        Files.writeString(json, "{\"benchmark\": 1}");
        assertThatThrownBy(() -> PerfReport.render(json, folder)).isInstanceOf(IllegalArgumentException.class)
                                                                  .hasMessageContaining("not a JMH JSON result file");
        assertThatThrownBy(() -> PerfReport.render(folder.resolve("missing.json"), folder))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JMH result file");
    }

    @Test
    void shouldReadJmhJsonWithNanStringsEscapesAndNesting() {
        Object parsed = Json.parse("[{\"a\": \"NaN\", \"b\": [1, -2.5e3, [true, null]], \"c\": \"x\\\"\\u00e9\\n\"}]");
        assertThat(parsed).isEqualTo(List.of(java.util.Map.of("a", "NaN", "b", List.of(1.0, -2500.0, java.util.Arrays.asList(true, null)),
                                                              "c", "x\"é\n")));
        assertThatThrownBy(() -> Json.parse("[1, }")).isInstanceOf(IllegalArgumentException.class)
                                                    .hasMessageContaining("offset 4");
    }

    @Test
    void shouldNameTheLingerInTheConfiguration() throws Exception {
        Path json = folder.resolve("2026-01-01-jdk17-2cores-apply.json");
        Files.writeString(json, "[" + String.join(",",
            throughput("OneToOneApplyThroughput.epochRing", "\"threadingMode\":\"SINGLE_THREAD\",\"lingerMicros\":\"5\",\"ringSize\":\"4096\"", 30e6, 1e6, 0.02),
            throughput("OneToOneApplyThroughput.peer", "\"ringSize\":\"4096\"", 12e6, 0.5e6, 25)) + "]");

        String md = Files.readString(PerfReport.render(json, folder.resolve("out")));

        assertThat(md).contains("| EpochRing SINGLE_THREAD | linger 5 µs / 4096 | 30.00 M (30.00 M ± 1.00 M) | 12.00 M (12.00 M ± 500.0 k) | 2.50× |");
    }

    private static String throughput(String benchmark, String params, double score, double error, double allocBytes) {
        return throughput(benchmark, params, score, error, score, allocBytes);
    }

    private static String throughput(String benchmark, String params, double score, double error, double median, double allocBytes) {
        return row(benchmark, "thrpt", params, String.format(Locale.ROOT,
            "\"primaryMetric\": {\"score\": %s, \"scoreError\": %s, \"scoreUnit\": \"ops/s\", \"scorePercentiles\": {\"50.0\": %s}}",
            score, error, median), allocBytes);
    }

    private static String latency(String benchmark, String params, double p50, double p99, double allocBytes) {
        return row(benchmark, "sample", params, String.format(Locale.ROOT,
            "\"primaryMetric\": {\"score\": %s, \"scoreError\": \"NaN\", \"scoreUnit\": \"us/op\", \"scorePercentiles\": "
            + "{\"0.0\": 0.1, \"50.0\": %s, \"90.0\": %s, \"99.0\": %s, \"99.9\": %s, \"99.99\": %s, \"100.0\": %s}}",
            p50, p50, p50 * 2, p99, p99 * 3, p99 * 10, p99 * 100), allocBytes);
    }

    /** Adds the {@code roundTrip} secondary metric (RoundTripProfiler) with the same shape of percentiles as {@link #latency}. */
    private static String withRoundTrips(String row, double p50, double p99) {
        return row.replace("\"secondaryMetrics\": {", String.format(Locale.ROOT,
            "\"secondaryMetrics\": {\"roundTrip\": {\"score\": %s, \"scoreError\": 0.01, \"scoreUnit\": \"us/op\", \"scorePercentiles\": "
            + "{\"0.0\": 0.1, \"50.0\": %s, \"90.0\": %s, \"99.0\": %s, \"99.9\": %s, \"99.99\": %s, \"100.0\": %s}}, ",
            p50, p50, p50 * 2, p99, p99 * 3, p99 * 10, p99 * 100));
    }

    private static String row(String benchmark, String mode, String params, String primary, double allocBytes) {
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"io.epochring.bench." + benchmark + "\", \"mode\": \"" + mode + "\","
               + "\"threads\": 1, \"forks\": 2, \"jvm\": \"java\", \"jvmArgs\": [\"-Xmx1g\"], \"jdkVersion\": \"17.0.15\","
               + "\"vmName\": \"OpenJDK 64-Bit Server VM\", \"vmVersion\": \"17.0.15\", \"warmupIterations\": 5, \"warmupTime\": \"1 s\","
               + "\"measurementIterations\": 5, \"measurementTime\": \"2 s\","
               + (params == null ? "" : "\"params\": {" + params + "},")
               + primary + ", \"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": " + allocBytes
               + ", \"scoreError\": \"NaN\", \"scoreUnit\": \"B/op\"}}}";
    }
}
