package io.epochring.bench.report;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JMH JSON result file into a markdown report with PNG charts:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.epochring.bench.report.PerfReport perf-results/RUN.json perf-results/
 * </pre>
 *
 * writes {@code RUN.md} (run settings, targets met or missed, a table per benchmark with
 * EpochRing ÷ peer and ÷ ceiling, allocation per write) and {@code RUN-<Benchmark>.png} (throughput
 * bars of the medians the ratios divide, with the slowest-to-fastest iteration as a whisker; latency
 * percentile curves, EpochRing against the peer) into the output folder. The number of cores is read
 * from the file name ({@code ...-2cores...}) since JMH does not record it.
 *
 * <p>With {@code --charts-only} before the file it writes the PNGs and leaves {@code RUN.md} as it
 * is: for re-drawing the charts of a committed run without touching its report.
 */
public final class PerfReport {

    private static final Pattern CORES = Pattern.compile("(\\d+)-?cores?");

    private PerfReport() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        boolean chartsOnly = args.length == 3 && args[0].equals("--charts-only");
        if (args.length != 2 && !chartsOnly) {
            System.err.println("usage: java -cp benchmarks.jar io.epochring.bench.report.PerfReport [--charts-only] <jmh-result.json> <output-folder>");
            System.exit(2);
        }
        if (chartsOnly) {
            Map<String, String> charts = renderCharts(Path.of(args[1]), Path.of(args[2]));
            System.out.println("wrote " + String.join(", ", charts.values()));
        } else {
            Path report = render(Path.of(args[0]), Path.of(args[1]));
            System.out.println("wrote " + report + " and its charts");
        }
    }

    /**
     * @return the markdown file written
     * @throws IllegalArgumentException when the input is not a JMH JSON result file or holds no results
     */
    public static Path render(Path json, Path outputFolder) throws IOException {
        List<JmhResult> results = read(json);
        String base = baseName(json);
        Map<String, String> charts = renderCharts(results, base, outputFolder);
        String markdown = new MarkdownReport("EpochRing benchmarks: " + base, cores(base), results, charts).render();
        Path out = outputFolder.resolve(base + ".md");
        Files.writeString(out, markdown, StandardCharsets.UTF_8);
        return out;
    }

    /**
     * Writes only the charts, {@code RUN-<Benchmark>.png}, as {@link #render} would.
     *
     * @return the chart file names written, by benchmark class
     * @throws IllegalArgumentException when the input is not a JMH JSON result file or holds no results
     */
    public static Map<String, String> renderCharts(Path json, Path outputFolder) throws IOException {
        return renderCharts(read(json), baseName(json), outputFolder);
    }

    private static List<JmhResult> read(Path json) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("no JMH result file at " + json.toAbsolutePath() + ": run JMH with -rf json -rff <file> first");
        }
        List<JmhResult> results = JmhResult.parseAll(Files.readString(json, StandardCharsets.UTF_8));
        if (results.isEmpty()) {
            throw new IllegalArgumentException(json + " holds no benchmark results (did the run fail?)");
        }
        return results;
    }

    private static Map<String, String> renderCharts(List<JmhResult> results, String base, Path outputFolder) throws IOException {
        Files.createDirectories(outputFolder);
        Map<String, List<JmhResult>> byClass = new LinkedHashMap<>();
        for (JmhResult result : results) {
            byClass.computeIfAbsent(result.benchmarkClass(), k -> new ArrayList<>()).add(result);
        }
        Map<String, String> charts = new LinkedHashMap<>();
        String jdk = "JDK " + results.get(0).run().jdkVersion();
        for (Map.Entry<String, List<JmhResult>> benchmark : byClass.entrySet()) {
            String file = base + "-" + benchmark.getKey() + ".png";
            List<JmhResult> rows = benchmark.getValue();
            File png = outputFolder.resolve(file).toFile();
            if (rows.get(0).mode().equals("sample")) {
                Charts.latency(benchmark.getKey() + ", " + jdk, rows, png);
            } else {
                Charts.throughput(benchmark.getKey() + ", " + jdk, rows, png);
            }
            charts.put(benchmark.getKey(), file);
        }
        return charts;
    }

    private static String baseName(Path json) {
        String name = json.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }

    private static String cores(String base) {
        Matcher m = CORES.matcher(base);
        return m.find() ? m.group(1) : "not recorded (JMH does not record it; put e.g. `2cores` in the file name)";
    }
}
