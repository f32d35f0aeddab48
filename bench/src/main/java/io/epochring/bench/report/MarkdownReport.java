package io.epochring.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes the markdown report of one JMH run: the run's settings, the targets met or missed, and a
 * table (with its chart) per benchmark: EpochRing against the peer and the ceiling, with ratios.
 */
final class MarkdownReport {

    private final String title;
    private final String cores;
    private final List<JmhResult> results;
    private final Map<String, String> charts;
    private final StringBuilder out = new StringBuilder();

    /**
     * @param charts chart file name (relative to the report) by benchmark class
     */
    MarkdownReport(String title, String cores, List<JmhResult> results, Map<String, String> charts) {
        this.title = title;
        this.cores = cores;
        this.results = results;
        this.charts = charts;
    }

    String render() {
        line("# " + title);
        line("");
        runSection();
        targetsSection();
        for (Map.Entry<String, List<JmhResult>> benchmark : byClass().entrySet()) {
            List<JmhResult> rows = benchmark.getValue();
            String baseline = Targets.BASELINES.get(benchmark.getKey());
            if (baseline != null) {
                baselineSection(benchmark.getKey(), rows, baseline);
            } else if (rows.get(0).mode().equals("sample")) {
                latencySection(benchmark.getKey(), rows);
            } else {
                throughputSection(benchmark.getKey(), rows);
            }
        }
        allocationSection();
        line("## How to read this");
        line("");
        line("- Ratios compare rows of the same run on the same JVM: EpochRing ÷ peer above 1 means EpochRing is faster.");
        line("  Throughput ratios divide medians (of all measured iterations of all forks), not means: on a shared VM a");
        line("  fork's scores can sit in one of two modes several times apart, and a mean over few forks mostly reflects");
        line("  which modes the forks landed in. Tables show the median and, in brackets, JMH's mean.");
        line("  Absolute numbers move between runs (often ±2× on small shared machines); ratios move less.");
        line("- `±` is JMH's 99.9% confidence half-width over all measurement iterations and forks; `n/a` means too few samples.");
        line("- A peer or ceiling row has fewer parameters (the peer has no wait strategy), so it is compared with every");
        line("  EpochRing row that shares its values (same ring size; same wait strategy for the ceiling).");
        line("- Allocation is `gc.alloc.rate.norm` from `-prof gc`: bytes allocated per operation (one write) by all threads.");
        return out.toString();
    }

    // ---- sections ------------------------------------------------------------------------------

    private void runSection() {
        JmhResult.Run run = results.get(0).run();
        line("| | |");
        line("|---|---|");
        line("| JDK | " + run.jdkVersion() + " (" + run.vmName() + " " + run.vmVersion() + ") |");
        line("| JMH | " + run.jmhVersion() + " |");
        line("| cores | " + cores + " |");
        runSetting("forks × iterations", r -> r.forks() + " × (" + r.warmupIterations() + " warm-up of " + r.warmupTime()
                                               + ", " + r.measurementIterations() + " measured of " + r.measurementTime() + ")");
        runSetting("JVM flags", r -> "`" + String.join(" ", r.jvmArgs()) + "`");
        line("");
    }

    /**
     * One row for a setting all benchmarks share; else one row per value, naming the benchmark
     * classes that ran with it (a class's {@code @Fork} can set its own forks and flags).
     */
    private void runSetting(String label, Function<JmhResult.Run, String> setting) {
        Map<String, Set<String>> classesByValue = new LinkedHashMap<>();
        for (JmhResult row : results) {
            classesByValue.computeIfAbsent(setting.apply(row.run()), value -> new LinkedHashSet<>()).add(row.benchmarkClass());
        }
        classesByValue.forEach((value, classes) -> line("| " + label + (classesByValue.size() == 1 ? "" : ", " + String.join(", ", classes))
                                                        + " | " + value + " |"));
    }

    private void targetsSection() {
        List<String[]> rows = new ArrayList<>();
        for (Targets.Ratio target : Targets.RATIOS) {
            List<JmhResult> epochRing = epochRingRows(target.benchmarkClass());
            List<Double> ratios = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (JmhResult row : epochRing) {
                JmhResult other = comparison(row, target.against());
                if (other != null) {
                    ratios.add(Targets.advantage(row, other));
                    labels.add(row.series() + " " + row.configuration());
                }
            }
            rows.add(summary(target.label(), ratios, labels, target.atLeast(), true, MarkdownReport::ratio));
        }
        for (Targets.Latency target : Targets.LATENCIES) {
            List<Double> ratios = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (JmhResult row : epochRingRows(target.benchmarkClass())) {
                JmhResult peer = comparison(row, "peer");
                if (peer != null) {
                    ratios.add(row.latency(target.percentile()) / peer.latency(target.percentile()));
                    labels.add(row.series() + " " + row.configuration());
                }
            }
            rows.add(summary(target.label(), ratios, labels, target.atMost(), false, MarkdownReport::ratio));
        }
        for (Targets.Allocation target : Targets.ALLOCATIONS) {
            List<Double> bytes = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (JmhResult row : epochRingRows(target.benchmarkClass())) {
                JmhResult.Metric alloc = row.metric("gc.alloc.rate.norm");
                if (alloc != null) {
                    bytes.add(alloc.score());
                    labels.add(row.series() + " " + row.configuration());
                }
            }
            rows.add(summary(target.label(), bytes, labels, target.maxBytes(), false, b -> bytes(b) + " B"));
        }
        rows.sort(Comparator.comparing((String[] row) -> row[0]));
        line("## Targets");
        line("");
        line("| target | EpochRing configurations meeting it | best | worst |");
        line("|---|---|---|---|");
        for (String[] row : rows) {
            line("| " + String.join(" | ", row) + " |");
        }
        line("");
    }

    private void throughputSection(String benchmark, List<JmhResult> rows) {
        line("## " + benchmark);
        line("");
        chart(benchmark);
        boolean hasPeer = rows.stream().anyMatch(r -> r.method().equals("peer"));
        boolean hasCeiling = rows.stream().anyMatch(r -> r.method().equals("ceiling"));
        String unit = rows.get(0).unit();
        StringBuilder header = new StringBuilder("| EpochRing | configuration | EpochRing " + unit + ", median (mean ± error)");
        StringBuilder rule = new StringBuilder("|---|---|---:");
        if (hasPeer) {
            header.append(" | peer | ÷ peer");
            rule.append("|---:|---:");
        }
        if (hasCeiling) {
            header.append(" | ceiling | ÷ ceiling");
            rule.append("|---:|---:");
        }
        line(header.append(" | targets |").toString());
        line(rule.append("|---|").toString());
        for (JmhResult row : rows) {
            if (!row.isEpochRing()) {
                continue;
            }
            StringBuilder s = new StringBuilder("| " + row.series() + " | " + row.configuration() + " | " + score(row));
            List<String> verdicts = new ArrayList<>();
            for (String against : List.of("peer", "ceiling")) {
                if (against.equals("peer") ? !hasPeer : !hasCeiling) {
                    continue;
                }
                JmhResult other = comparison(row, against);
                double ratio = other == null ? Double.NaN : Targets.advantage(row, other);
                s.append(" | ").append(other == null ? "-" : score(other)).append(" | ").append(ratio(ratio));
                for (Targets.Ratio target : Targets.RATIOS) {
                    if (target.benchmarkClass().equals(benchmark) && target.against().equals(against) && !Double.isNaN(ratio)) {
                        verdicts.add((ratio >= target.atLeast() ? "met" : "**missed**") + " (" + against + " ≥ " + ratio(target.atLeast()) + ")");
                    }
                }
            }
            line(s.append(" | ").append(verdicts.isEmpty() ? "-" : String.join(", ", verdicts)).append(" |").toString());
        }
        List<JmhResult> others = rows.stream().filter(r -> !r.isEpochRing()).toList();
        if (!others.isEmpty()) {
            line("");
            line("Comparison rows: " + String.join("; ", others.stream()
                                                             .map(r -> r.series() + (r.configuration().isEmpty() ? "" : " " + r.configuration()) + " = " + score(r))
                                                             .toList()) + ".");
        }
        line("");
    }

    private void latencySection(String benchmark, List<JmhResult> rows) {
        line("## " + benchmark);
        line("");
        chart(benchmark);
        String unit = rows.get(0).unit();
        boolean sampledColumn = rows.stream().anyMatch(JmhResult::hasRoundTrips);
        StringBuilder header = new StringBuilder("| row | configuration");
        StringBuilder rule = new StringBuilder("|---|---");
        for (String label : Charts.PERCENTILES.values()) {
            header.append(" | ").append(label);
            rule.append("|---:");
        }
        if (sampledColumn) {
            header.append(" | p99 of JMH's samples");
            rule.append("|---:");
        }
        line(header.append(" | p99 ÷ peer p99 | target |").toString());
        line(rule.append("|---:|---|").toString());
        for (JmhResult row : rows) {
            StringBuilder s = new StringBuilder("| " + row.series() + " | " + (row.configuration().isEmpty() ? "-" : row.configuration()));
            for (double p : Charts.PERCENTILES.keySet()) {
                s.append(" | ").append(number(row.latency(p)));
            }
            if (sampledColumn) {
                s.append(" | ").append(number(row.percentile(99.0)));
            }
            JmhResult peer = row.isEpochRing() ? comparison(row, "peer") : null;
            String verdict = "-";
            String ratio = "-";
            if (peer != null) {
                for (Targets.Latency target : Targets.LATENCIES) {
                    if (target.benchmarkClass().equals(benchmark)) {
                        double r = row.latency(target.percentile()) / peer.latency(target.percentile());
                        ratio = ratio(r);
                        verdict = (r <= target.atMost() ? "met" : "**missed**") + " (≤ " + ratio(target.atMost()) + ")";
                    }
                }
            }
            line(s.append(" | ").append(ratio).append(" | ").append(verdict).append(" |").toString());
        }
        line("");
        line("Latencies in " + unit + "; " + JmhResult.latencySource(rows) + "."
             + (sampledColumn ? " JMH's SampleTime p99 is shown beside them: each time JMH halves its sample buffer a value seen once"
                                + " keeps its full weight, so its tail runs high, the more so the more round trips an iteration has." : ""));
        line("");
    }

    /**
     * Every row against the baseline row with the same parameters: latency percentiles as
     * row ÷ baseline (above 1: slower), throughput medians as row ÷ baseline (below 1: fewer ops).
     */
    private void baselineSection(String benchmark, List<JmhResult> rows, String baseline) {
        line("## " + benchmark);
        line("");
        chart(benchmark);
        String unit = rows.get(0).unit();
        boolean latency = rows.get(0).mode().equals("sample");
        double[] percentiles = {50.0, 99.0, 99.9};
        if (latency) {
            line("| row | configuration | p50 | p99 | p99.9 | max | p50 ÷ " + baseline + " | p99 ÷ " + baseline + " | p99.9 ÷ "
                 + baseline + " |");
            line("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        } else {
            line("| row | configuration | " + unit + ", median (mean ± error) | ÷ " + baseline + " |");
            line("|---|---|---:|---:|");
        }
        for (JmhResult row : rows) {
            JmhResult base = row.method().equals(baseline) ? null : comparison(row, baseline);
            StringBuilder s = new StringBuilder("| " + row.series() + " | " + (row.configuration().isEmpty() ? "-" : row.configuration()));
            if (latency) {
                for (double p : percentiles) {
                    s.append(" | ").append(number(row.latency(p)));
                }
                s.append(" | ").append(number(row.latency(100.0)));
                for (double p : percentiles) {
                    s.append(" | ").append(base == null ? "-" : ratio(row.latency(p) / base.latency(p)));
                }
            } else {
                s.append(" | ").append(score(row)).append(" | ").append(base == null ? "-" : ratio(row.median() / base.median()));
            }
            line(s.append(" |").toString());
        }
        line("");
        line(latency ? "Latencies in " + unit + "; " + JmhResult.latencySource(rows) + "; ratios are the row's "
                       + "percentile ÷ the `" + baseline + "` row's with the same parameters (above 1: slower)."
                     : "Ratios divide medians: the row's ÷ the `" + baseline + "` row's with the same parameters (below 1: fewer per second).");
        line("");
    }

    private void allocationSection() {
        List<JmhResult> measured = results.stream().filter(r -> r.metric("gc.alloc.rate.norm") != null).toList();
        if (measured.isEmpty()) {
            line("## Allocation per write");
            line("");
            line("Not measured in this run (run with `-prof gc`).");
            line("");
            return;
        }
        line("## Allocation per write (gc.alloc.rate.norm)");
        line("");
        line("| benchmark | row | configuration | B/write | target |");
        line("|---|---|---|---:|---|");
        for (JmhResult row : measured) {
            double b = row.metric("gc.alloc.rate.norm").score();
            String verdict = "-";
            for (Targets.Allocation target : Targets.ALLOCATIONS) {
                if (row.isEpochRing() && target.benchmarkClass().equals(row.benchmarkClass())) {
                    verdict = (b <= target.maxBytes() ? "met" : "**missed**") + " (≤ " + bytes(target.maxBytes()) + " B)";
                }
            }
            line("| " + row.benchmarkClass() + " | " + row.series() + " | " + (row.configuration().isEmpty() ? "-" : row.configuration())
                 + " | " + bytes(b) + " | " + verdict + " |");
        }
        line("");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Map<String, List<JmhResult>> byClass() {
        Map<String, List<JmhResult>> byClass = new LinkedHashMap<>();
        for (JmhResult result : results) {
            byClass.computeIfAbsent(result.benchmarkClass(), k -> new ArrayList<>()).add(result);
        }
        return byClass;
    }

    private List<JmhResult> epochRingRows(String benchmark) {
        return results.stream().filter(r -> r.benchmarkClass().equals(benchmark) && r.isEpochRing()).toList();
    }

    /** @return the {@code method} row of the same benchmark whose parameters match {@code row}'s, or null */
    private JmhResult comparison(JmhResult row, String method) {
        for (JmhResult other : results) {
            if (other.benchmarkClass().equals(row.benchmarkClass()) && other.method().equals(method) && other.matches(row)) {
                return other;
            }
        }
        return null;
    }

    /** @return the target's row: how many EpochRing configurations met it, and the best and worst of them */
    private static String[] summary(String label, List<Double> values, List<String> labels, double limit, boolean higherIsBetter,
                                    Function<Double, String> format) {
        if (values.isEmpty()) {
            return new String[] {label, "not measured", "-", "-"};
        }
        int best = 0;
        int worst = 0;
        int met = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (higherIsBetter ? v >= limit : v <= limit) {
                met++;
            }
            if (higherIsBetter ? v > values.get(best) : v < values.get(best)) {
                best = i;
            }
            if (higherIsBetter ? v < values.get(worst) : v > values.get(worst)) {
                worst = i;
            }
        }
        String verdict = (met == values.size() ? "met: " : met == 0 ? "**missed**: " : "partly: ") + met + " of " + values.size();
        return new String[] {label, verdict, format.apply(values.get(best)) + " (" + labels.get(best).trim() + ")",
                             format.apply(values.get(worst)) + " (" + labels.get(worst).trim() + ")"};
    }

    private void chart(String benchmark) {
        String file = charts.get(benchmark);
        if (file != null) {
            line("![" + benchmark + "](" + file + ")");
            line("");
        }
    }

    private static String score(JmhResult row) {
        return number(row.median()) + " (" + number(row.score())
               + (Double.isNaN(row.scoreError()) ? " ± n/a" : " ± " + number(row.scoreError())) + ")";
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", value / 1e9);
        }
        if (abs >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", value / 1e6);
        }
        if (abs >= 1e4) {
            return String.format(Locale.ROOT, "%.1f k", value / 1e3);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    static String ratio(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
    }

    static String bytes(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, bytes < 10 ? "%.2f" : "%.0f", bytes);
    }

    private void line(String text) {
        out.append(text).append('\n');
    }
}
