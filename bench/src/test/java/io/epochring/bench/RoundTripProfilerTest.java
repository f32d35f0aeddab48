package io.epochring.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.SampleBuffer;
import org.openjdk.jmh.util.Statistics;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latency benchmarks record every round trip, and {@link RoundTripProfiler} reports them per
 * iteration as one {@code roundTrip} result that merges across iterations and forks.
 */
class RoundTripProfilerTest {

    private final RoundTripProfiler profiler = new RoundTripProfiler();

    @Test
    void shouldReportTheRoundTripsOfTheIterationInTheBenchmarksTimeUnit() {
        // given: round trips from an earlier iteration, then 3 that began 2 ms ago and one 20 ms ago
        RoundTrips.record(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        profiler.beforeIteration(null, null);
        long now = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            RoundTrips.record(now - TimeUnit.MILLISECONDS.toNanos(2));
        }
        RoundTrips.record(now - TimeUnit.MILLISECONDS.toNanos(20));

        // when
        Result<?> result = only(profiler.iteration(TimeUnit.MICROSECONDS));

        // then: only this iteration's 4, in microseconds, the earlier one forgotten
        assertThat(result.getLabel()).isEqualTo("roundTrip");
        assertThat(result.getScoreUnit()).isEqualTo("us/op");
        Statistics statistics = result.getStatistics();
        assertThat(statistics.getN()).isEqualTo(4);
        assertThat(statistics.getPercentile(50)).isBetween(2_000.0, 1_000_000.0);
        assertThat(statistics.getMax()).isBetween(20_000.0, 1_000_000.0);
    }

    @Test
    void shouldReportNothingForAnIterationThatRecordedNothing() {
        RoundTrips.record(System.nanoTime());
        profiler.beforeIteration(null, null);

        assertThat(profiler.iteration(TimeUnit.MICROSECONDS)).isEmpty();
    }

    @Test
    void shouldMergeIterationsIntoOnePopulation() {
        // given: an iteration of 99 fast round trips and one of a single slow one
        profiler.beforeIteration(null, null);
        long now = System.nanoTime();
        for (int i = 0; i < 99; i++) {
            RoundTrips.record(now);
        }
        RoundTripResult fast = (RoundTripResult) only(profiler.iteration(TimeUnit.MICROSECONDS));
        profiler.beforeIteration(null, null);
        RoundTrips.record(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(50));
        RoundTripResult slow = (RoundTripResult) only(profiler.iteration(TimeUnit.MICROSECONDS));

        // when
        RoundTripResult merged = fast.getIterationAggregator().aggregate(List.of(fast, slow));

        // then: the slow one is 1 of 100, not 1 of 2 (as a mean of per-iteration percentiles would weigh it)
        Statistics statistics = merged.getStatistics();
        assertThat(statistics.getN()).isEqualTo(100);
        assertThat(statistics.getPercentile(99)).isLessThan(50_000.0);
        assertThat(statistics.getMax()).isGreaterThanOrEqualTo(50_000.0);
    }

    /**
     * The reason the benchmarks record every round trip: halving JMH's sample buffer halves each
     * count but keeps a count of 1 at 1, so a value seen once gains weight against common ones.
     */
    @Test
    void jmhsSampleBufferKeepsAValueSeenOnceAtFullWeightWhenItHalves() {
        SampleBuffer buffer = new SampleBuffer();
        for (int i = 0; i < 8; i++) {
            buffer.add(2_000);
        }
        buffer.add(50_000);

        buffer.half();
        buffer.half();

        Statistics statistics = buffer.getStatistics(1);
        assertThat(statistics.getN()).as("8 common values halved twice, and the rare one still counted once").isEqualTo(2 + 1);
    }

    /** A real JMH run of the ceiling row, in this JVM: every round trip is in the result, many more than JMH samples. */
    @Test
    void shouldAddEveryRoundTripOfAJmhRunToItsResults() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(PingPongApplyLatency.class.getName() + ".ceiling$")
            .param("waitStrategy", WaitStrategies.YIELDING)
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(2)
            .measurementTime(TimeValue.milliseconds(300))
            .addProfiler(RoundTripProfiler.class)
            .shouldFailOnError(true)
            .build()).run();

        RunResult run = results.iterator().next();
        Result<?> roundTrips = run.getAggregatedResult().getSecondaryResults().get("roundTrip");
        assertThat(roundTrips).as("the roundTrip result of %s", run.getAggregatedResult().getSecondaryResults().keySet()).isNotNull();
        long sampled = run.getPrimaryResult().getSampleCount();
        assertThat(roundTrips.getSampleCount()).as("every round trip of 2 iterations, against JMH's %d samples", sampled)
                                               .isGreaterThan(sampled);
        assertThat(roundTrips.getScoreUnit()).isEqualTo("us/op");
        assertThat(roundTrips.getStatistics().getPercentile(50)).isPositive();
    }

    private static Result<?> only(Collection<? extends Result> results) {
        assertThat(results).hasSize(1);
        return results.iterator().next();
    }
}
