package io.epochring.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.Aggregator;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.MultisetStatistics;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code roundTrip} secondary result: every recorded round trip as a multiset of values in the
 * benchmark's time unit. Iterations, threads and forks aggregate by merging their values, so the
 * JSON's {@code scorePercentiles} of this result are the percentiles of all round trips measured;
 * its score is their mean.
 */
final class RoundTripResult extends Result<RoundTripResult> {

    private static final long serialVersionUID = 1L;
    static final String LABEL = "roundTrip";

    private RoundTripResult(MultisetStatistics statistics, String unit) {
        super(ResultRole.SECONDARY, LABEL, statistics, unit, AggregationPolicy.AVG);
    }

    /**
     * @return the histogram's values in {@code unit}, each at the highest value of its bucket (as
     *         HdrHistogram reports a percentile), within 0.1 % of what was recorded
     */
    static RoundTripResult of(Histogram nanos, TimeUnit unit) {
        double nanosPerUnit = unit.toNanos(1);
        MultisetStatistics statistics = new MultisetStatistics();
        for (HistogramIterationValue value : nanos.recordedValues()) {
            statistics.addValue(value.getValueIteratedTo() / nanosPerUnit, value.getCountAtValueIteratedTo());
        }
        return new RoundTripResult(statistics, TimeValue.tuToString(unit) + "/op");
    }

    private static RoundTripResult merged(Collection<RoundTripResult> results) {
        MultisetStatistics statistics = new MultisetStatistics();
        String unit = null;
        for (RoundTripResult result : results) {
            unit = result.getScoreUnit();
            Iterator<Map.Entry<Double, Long>> values = result.getStatistics().getRawData();
            while (values.hasNext()) {
                Map.Entry<Double, Long> value = values.next();
                statistics.addValue(value.getKey(), value.getValue());
            }
        }
        return new RoundTripResult(statistics, unit);
    }

    @Override
    protected Aggregator<RoundTripResult> getThreadAggregator() {
        return RoundTripResult::merged;
    }

    @Override
    protected Aggregator<RoundTripResult> getIterationAggregator() {
        return RoundTripResult::merged;
    }

    /** JMH's text output shows the percentiles and a histogram, as it does for SampleTime. */
    @Override
    public String extendedInfo() {
        return distributionExtendedInfo();
    }
}
