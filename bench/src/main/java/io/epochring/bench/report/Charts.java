package io.epochring.bench.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders result rows as PNG charts with JFreeChart: throughput bars and latency percentile curves
 * on a log scale. The charts plot the numbers the report's tables and ratios use (medians of the
 * measured iterations, SampleTime percentiles), so a bar never tells a different story from its
 * ratio, and say so in a subtitle.
 */
final class Charts {

    static final int WIDTH = 1100;
    static final int HEIGHT = 600;

    /** Latency percentiles plotted, and their labels; 100 is the maximum. */
    static final Map<Double, String> PERCENTILES = new LinkedHashMap<>();

    static {
        PERCENTILES.put(50.0, "p50");
        PERCENTILES.put(90.0, "p90");
        PERCENTILES.put(99.0, "p99");
        PERCENTILES.put(99.9, "p99.9");
        PERCENTILES.put(99.99, "p99.99");
        PERCENTILES.put(100.0, "max");
    }

    private static final Font SUBTITLE_FONT = new Font("SansSerif", Font.PLAIN, 13);

    private Charts() {
    }

    static void throughput(String title, List<JmhResult> rows, File png) throws IOException {
        save(throughputChart(title, rows), png);
    }

    static void latency(String title, List<JmhResult> rows, File png) throws IOException {
        save(latencyChart(title, rows), png);
    }

    /**
     * One bar per implementation (series) per configuration (category): the row's
     * {@link JmhResult#median()}, the value {@link Targets#advantage} divides, with a whisker from the
     * slowest to the fastest measured iteration. A row with fewer parameters (the peer has no wait
     * strategy) is drawn in every category it matches.
     */
    static JFreeChart throughputChart(String title, List<JmhResult> rows) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        String unit = unit(rows);
        RangeBarRenderer renderer = new RangeBarRenderer(median -> Units.label(median, unit));
        Map<String, JmhResult> categories = categories(rows);
        for (JmhResult row : inLegendOrder(rows)) {
            for (Map.Entry<String, JmhResult> category : categories.entrySet()) {
                if (row.matches(category.getValue())) {
                    dataset.addValue(row.median(), row.series(), category.getKey());
                    renderer.setRange(row.series(), category.getKey(), row.min(), row.max());
                }
            }
        }
        CategoryAxis configurations = new CategoryAxis("configuration (" + String.join(" / ", parameterNames(categories.values())) + ")");
        configurations.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis scores = new NumberAxis("median of " + measured(rows) + (unit.isEmpty() ? "" : " (" + unit + ")"));
        scores.setNumberFormatOverride(Units.axisFormat(unit));
        renderer.setItemMargin(0.05);
        // a chart of two bars (the journal benchmarks) would otherwise fill the plot with two slabs
        renderer.setMaximumBarWidth(0.12);
        // room above the highest whisker for its label
        scores.setUpperMargin(0.1);
        for (int i = 0; i < dataset.getRowCount(); i++) {
            Color paint = paintFor(dataset.getRowKey(i).toString());
            if (paint != null) {
                renderer.setSeriesPaint(i, paint);
            }
        }
        CategoryPlot plot = new CategoryPlot(dataset, configurations, scores, renderer);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle("bars and numbers: median of all measured iterations, the value the report's ratios divide;"
                                        + " whiskers: slowest to fastest iteration", SUBTITLE_FONT));
        return chart;
    }

    /**
     * One curve per row: its latency at each percentile of {@link #PERCENTILES}, the values the
     * report's latency table and its p99 ratio read; log scale.
     */
    static JFreeChart latencyChart(String title, List<JmhResult> rows) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<JmhResult> ordered = inLegendOrder(rows);
        for (JmhResult row : ordered) {
            String series = row.configuration().isEmpty() ? row.series() : row.series() + " " + row.configuration();
            PERCENTILES.forEach((p, label) -> {
                double value = row.latency(p);
                if (value > 0) {
                    dataset.addValue(value, series, label);
                }
            });
        }
        LogAxis latency = new LogAxis("latency per operation (log scale)");
        latency.setBase(10);
        latency.setTickUnit(new NumberTickUnit(1.0));
        latency.setMinorTickMarksVisible(true);
        latency.setNumberFormatOverride(Units.axisFormat(unit(rows)));
        latency.setSmallestValue(0.01);
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        // The row the others are compared with stands out: the peer, or a baseline row (Targets.BASELINES).
        String comparedWith = rows.isEmpty() ? "peer" : Targets.BASELINES.getOrDefault(rows.get(0).benchmarkClass(), "peer");
        for (int i = 0; i < ordered.size(); i++) {
            boolean reference = ordered.get(i).method().equals(comparedWith);
            renderer.setSeriesStroke(i, new BasicStroke(reference ? 4f : 1.8f));
            if (reference) {
                renderer.setSeriesPaint(i, Color.BLACK);
            }
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("percentile"), latency, renderer);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(JmhResult.latencySource(rows) + " of " + measured(rows)
                                        + ", the values of the report's latency table", SUBTITLE_FONT));
        return chart;
    }

    /** @return EpochRing rows first, then the peer, the ceiling, anything else: the legend reads EpochRing against the others */
    private static List<JmhResult> inLegendOrder(List<JmhResult> rows) {
        List<String> order = List.of("epochRing", "peer", "ceiling");
        return rows.stream()
                   .sorted(Comparator.comparingInt(r -> order.contains(r.method()) ? order.indexOf(r.method()) : order.size()))
                   .toList();
    }

    /** @return a fixed colour per implementation, so charts of different runs read alike; null for the default */
    private static Color paintFor(String series) {
        if (series.equals("EpochRing SINGLE_THREAD") || series.equals("EpochRing")) {
            return new Color(40, 90, 200);
        }
        if (series.equals("EpochRing THREAD_PER_STAGE")) {
            return new Color(60, 170, 200);
        }
        if (series.equals("peer")) {
            return new Color(230, 120, 30);
        }
        if (series.equals("ceiling")) {
            return new Color(150, 150, 150);
        }
        return null;
    }

    /**
     * @return each configuration label of the EpochRing rows (of the widest rows when there are
     * none), with a row that has it
     */
    private static Map<String, JmhResult> categories(List<JmhResult> rows) {
        List<JmhResult> epochRing = rows.stream().filter(JmhResult::isEpochRing).toList();
        List<JmhResult> labelled = epochRing.isEmpty() ? rows : epochRing;
        int widest = labelled.stream().mapToInt(r -> r.params().size()).max().orElse(0);
        Map<String, JmhResult> categories = new LinkedHashMap<>();
        for (JmhResult row : labelled) {
            if (row.params().size() == widest) {
                String label = row.configuration().isEmpty() ? "-" : row.configuration();
                categories.putIfAbsent(label, row);
            }
        }
        return categories;
    }

    private static List<String> parameterNames(Collection<JmhResult> rows) {
        return rows.stream().flatMap(r -> r.params().keySet().stream()).filter(n -> !n.equals("threadingMode")).distinct().toList();
    }

    /** @return "3 forks × 5 iterations of 1 s", or each such setting of the rows when they differ */
    private static String measured(List<JmhResult> rows) {
        return String.join(" or ", rows.stream().map(r -> r.run().measured()).distinct().toList());
    }

    private static String unit(List<JmhResult> rows) {
        return rows.isEmpty() || rows.get(0).unit() == null ? "" : rows.get(0).unit();
    }

    private static void save(JFreeChart chart, File png) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png, chart, WIDTH, HEIGHT);
    }
}
