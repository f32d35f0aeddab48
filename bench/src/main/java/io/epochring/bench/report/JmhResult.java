package io.epochring.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH JSON result file: a benchmark method with one combination of parameters.
 *
 * @param benchmarkClass simple name of the benchmark class, e.g. {@code OneToOneApplyThroughput}
 * @param method         the benchmark method: {@code epochRing}, {@code peer} or {@code ceiling}
 * @param mode           JMH's mode code: {@code thrpt}, {@code sample}, {@code avgt}, ...
 * @param params         the {@code @Param} values, by name
 * @param score          the primary score
 * @param scoreError     its 99.9% confidence half-width (NaN with too few samples)
 * @param unit           the primary score's unit
 * @param percentiles    the primary metric's percentiles (0-100) to values; for SampleTime these
 *                       are the percentiles of JMH's latency samples
 * @param secondary      secondary metrics by name (the leading "·" of older JMH versions removed);
 *                       {@value #ROUND_TRIP} holds the percentiles of every round trip when the run
 *                       recorded them (RoundTripProfiler)
 * @param run            how the run was made
 */
record JmhResult(String benchmarkClass, String method, String mode, Map<String, String> params, double score,
                 double scoreError, String unit, TreeMap<Double, Double> percentiles, Map<String, Metric> secondary,
                 Run run) {

    /** The secondary metric with the percentiles of every round trip (io.epochring.bench.RoundTripProfiler). */
    static final String ROUND_TRIP = "roundTrip";

    /** A secondary metric: score, error, unit, and the percentiles (0-100) of its distribution. */
    record Metric(double score, double error, String unit, TreeMap<Double, Double> percentiles) {
    }

    /** What the run was: JVM, JDK, JMH settings. */
    record Run(String jmhVersion, String jdkVersion, String vmName, String vmVersion, List<String> jvmArgs, int forks,
               int threads, int warmupIterations, String warmupTime, int measurementIterations, String measurementTime) {

        /** @return what a row's statistics are taken over: "3 forks × 5 iterations of 1 s" */
        String measured() {
            return forks + (forks == 1 ? " fork" : " forks") + " × " + measurementIterations
                   + (measurementIterations == 1 ? " iteration" : " iterations")
                   + (measurementTime == null ? "" : " of " + measurementTime);
        }
    }

    /** @return the method's implementation label with the threading mode, if any: "EpochRing SINGLE_THREAD" */
    String series() {
        String name = method.equals("epochRing") ? "EpochRing" : method;
        String mode = params.get("threadingMode");
        return mode == null ? name : name + " " + mode;
    }

    boolean isEpochRing() {
        return method.equals("epochRing");
    }

    /**
     * @return the parameters other than the threading mode, as "yielding / 65536" (empty when none);
     *         the linger, whose bare number would read like a count, as "linger 5 µs"
     */
    String configuration() {
        StringBuilder s = new StringBuilder();
        params.forEach((name, value) -> {
            if (!name.equals("threadingMode")) {
                s.append(s.length() == 0 ? "" : " / ").append(name.equals("lingerMicros") ? "linger " + value + " µs" : value);
            }
        });
        return s.toString();
    }

    /**
     * @return true when every parameter both rows have, other than the threading mode, is equal: a
     * peer or ceiling row (fewer parameters) matches each wider EpochRing row. A parameter only one
     * of them has does not count, so a ceiling with a knob of its own (DurableGroupCommit's
     * {@code syncEvery}) still matches; run one value of such a knob per report, since the first
     * matching row is the one compared.
     */
    boolean matches(JmhResult other) {
        for (Map.Entry<String, String> param : params.entrySet()) {
            String otherValue = other.params.get(param.getKey());
            if (!param.getKey().equals("threadingMode") && otherValue != null && !param.getValue().equals(otherValue)) {
                return false;
            }
        }
        return true;
    }

    /** @return the metric, or null when the run did not record it */
    Metric metric(String name) {
        return secondary.get(name);
    }

    /**
     * @return the median of the measured iterations' scores over all forks (JMH's 50th score
     *         percentile), or the mean score when the file has no percentiles
     */
    double median() {
        double median = percentile(50.0);
        return Double.isNaN(median) ? score : median;
    }

    /**
     * @return the lowest and highest measured iteration score over all forks (JMH's 0th and 100th
     *         score percentiles, the same distribution {@link #median()} is taken from), or NaN
     *         when the file has no percentiles
     */
    double min() {
        return percentile(0.0);
    }

    /** @see #min() */
    double max() {
        return percentile(100.0);
    }

    /** @return the primary metric at percentile {@code p} (0-100), or NaN; for SampleTime, JMH's sampled latency */
    double percentile(double p) {
        Double value = percentiles.get(p);
        return value == null ? Double.NaN : value;
    }

    /** @return true when the run recorded every round trip of this row ({@value #ROUND_TRIP}) */
    boolean hasRoundTrips() {
        Metric roundTrips = secondary.get(ROUND_TRIP);
        return roundTrips != null && !roundTrips.percentiles().isEmpty();
    }

    /**
     * @return the latency at percentile {@code p} (0-100), or NaN: over every round trip when the
     *         run recorded them, else over JMH's samples. JMH's SampleTime keeps a value seen once at
     *         full weight each time it halves its buffer, so its tail percentiles run high, the more
     *         so the more operations an iteration has; see io.epochring.bench.RoundTrips.
     */
    double latency(double p) {
        if (!hasRoundTrips()) {
            return percentile(p);
        }
        Double value = secondary.get(ROUND_TRIP).percentiles().get(p);
        return value == null ? Double.NaN : value;
    }

    /** @return what {@link #latency} of these rows is taken over, for a table's or chart's caption */
    static String latencySource(List<JmhResult> rows) {
        long recorded = rows.stream().filter(JmhResult::hasRoundTrips).count();
        if (recorded == rows.size()) {
            return "percentiles of every round trip (HdrHistogram, RoundTripProfiler)";
        }
        return recorded == 0 ? "JMH SampleTime percentiles over all samples"
                             : "percentiles of every round trip where recorded, else of JMH's SampleTime samples";
    }

    /**
     * @throws IllegalArgumentException when the file is not a JMH JSON result array
     */
    @SuppressWarnings("unchecked")
    static List<JmhResult> parseAll(String json) {
        Object root = Json.parse(json);
        if (!(root instanceof List<?> rows)) {
            throw new IllegalArgumentException("not a JMH JSON result file: the top level is not an array (run JMH with -rf json)");
        }
        List<JmhResult> results = new ArrayList<>();
        for (Object row : rows) {
            results.add(parse((Map<String, Object>) row));
        }
        return results;
    }

    @SuppressWarnings("unchecked")
    private static JmhResult parse(Map<String, Object> row) {
        String benchmark = (String) require(row, "benchmark");
        int lastDot = benchmark.lastIndexOf('.');
        String className = benchmark.substring(0, lastDot);
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Object> rawParams = (Map<String, Object>) row.getOrDefault("params", Map.of());
        rawParams.forEach((name, value) -> params.put(name, String.valueOf(value)));

        Map<String, Object> primary = (Map<String, Object>) require(row, "primaryMetric");
        Map<String, Metric> secondary = new LinkedHashMap<>();
        Map<String, Object> rawSecondary = (Map<String, Object>) row.getOrDefault("secondaryMetrics", Map.of());
        rawSecondary.forEach((name, value) -> {
            Map<String, Object> metric = (Map<String, Object>) value;
            secondary.put(name.startsWith("·") ? name.substring(1) : name,
                          new Metric(number(metric.get("score")), number(metric.get("scoreError")), (String) metric.get("scoreUnit"),
                                     percentiles(metric.get("scorePercentiles"))));
        });

        Run run = new Run((String) row.get("jmhVersion"), (String) row.get("jdkVersion"), (String) row.get("vmName"),
                          (String) row.get("vmVersion"), strings(row.get("jvmArgs")), (int) number(row.get("forks")),
                          (int) number(row.get("threads")), (int) number(row.get("warmupIterations")),
                          (String) row.get("warmupTime"), (int) number(row.get("measurementIterations")),
                          (String) row.get("measurementTime"));
        return new JmhResult(className.substring(className.lastIndexOf('.') + 1), benchmark.substring(lastDot + 1),
                             (String) row.get("mode"), params, number(primary.get("score")), number(primary.get("scoreError")),
                             (String) primary.get("scoreUnit"), percentiles(primary.get("scorePercentiles")), secondary, run);
    }

    @SuppressWarnings("unchecked")
    private static TreeMap<Double, Double> percentiles(Object raw) {
        TreeMap<Double, Double> percentiles = new TreeMap<>();
        if (raw instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).forEach((p, value) -> percentiles.put(Double.parseDouble(p), number(value)));
        }
        return percentiles;
    }

    private static List<String> strings(Object raw) {
        List<String> strings = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(item -> strings.add(String.valueOf(item)));
        }
        return strings;
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(Object raw) {
        if (raw instanceof Double d) {
            return d;
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static Object require(Map<String, Object> row, String field) {
        Object value = row.get(field);
        if (value == null) {
            throw new IllegalArgumentException("not a JMH JSON result row: no '" + field + "' field in " + row.keySet());
        }
        return value;
    }
}
