package io.epochring.bench;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Adds the {@code roundTrip} secondary result to the benchmarks that record into {@link RoundTrips}:
 * the percentiles of every round trip of the measured iterations of all forks, in the benchmark's
 * output time unit. Benchmarks that record nothing get no such result. Enable it with
 * {@code -prof io.epochring.bench.RoundTripProfiler} (bench/run-benchmarks.sh does).
 */
public final class RoundTripProfiler implements InternalProfiler {

    @Override
    public String getDescription() {
        return "every round trip of the latency benchmarks in an HdrHistogram (JMH's SampleTime over-weights rare values)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        RoundTrips.reset();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        return iteration(benchmarkParams.getTimeUnit());
    }

    /** @return the iteration's round trips in {@code unit}, or nothing when none were recorded */
    List<RoundTripResult> iteration(TimeUnit unit) {
        Histogram iteration = RoundTrips.iteration();
        return iteration.getTotalCount() == 0 ? List.of() : List.of(RoundTripResult.of(iteration, unit));
    }
}
