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
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.text.DecimalFormat;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders result rows as PNG charts with JFreeChart: throughput bars with error bars, and latency
 * percentile curves on a log scale.
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

    private Charts() {
    }

    /**
     * One bar per implementation (series) per configuration (category). A row with fewer
     * parameters (the peer has no wait strategy) is drawn in every category it matches. Error
     * bars are JMH's 99.9% confidence half-width around its mean (the report's tables and ratios use medians).
     */
    static void throughput(String title, List<JmhResult> rows, File png) throws IOException {
        DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
        Map<String, JmhResult> categories = categories(rows);
        for (JmhResult row : inLegendOrder(rows)) {
            for (Map.Entry<String, JmhResult> category : categories.entrySet()) {
                if (row.matches(category.getValue())) {
                    double error = Double.isNaN(row.scoreError()) ? 0 : row.scoreError();
                    dataset.add(row.score(), error, row.series(), category.getKey());
                }
            }
        }
        CategoryAxis configurations = new CategoryAxis("configuration (" + String.join(" / ", parameterNames(categories.values())) + ")");
        configurations.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        NumberAxis scores = new NumberAxis("JMH mean, " + unit(rows) + " (error bars: 99.9% confidence)");
        scores.setNumberFormatOverride(new DecimalFormat("#,##0"));
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < dataset.getRowCount(); i++) {
            Color paint = paintFor(dataset.getRowKey(i).toString());
            if (paint != null) {
                renderer.setSeriesPaint(i, paint);
            }
        }
        CategoryPlot plot = new CategoryPlot(dataset, configurations, scores, renderer);
        save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), png);
    }

    /** One curve per row: its latency at each percentile, log scale. */
    static void latency(String title, List<JmhResult> rows, File png) throws IOException {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        List<JmhResult> ordered = inLegendOrder(rows);
        for (JmhResult row : ordered) {
            String series = row.configuration().isEmpty() ? row.series() : row.series() + " " + row.configuration();
            PERCENTILES.forEach((p, label) -> {
                double value = row.percentile(p);
                if (value > 0) {
                    dataset.addValue(value, series, label);
                }
            });
        }
        LogAxis latency = new LogAxis(unit(rows) + " (log scale)");
        latency.setBase(10);
        latency.setTickUnit(new NumberTickUnit(1.0));
        latency.setMinorTickMarksVisible(true);
        latency.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
        latency.setSmallestValue(0.01);
        LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
        for (int i = 0; i < ordered.size(); i++) {
            boolean peer = !ordered.get(i).isEpochRing();
            renderer.setSeriesStroke(i, new BasicStroke(peer ? 4f : 1.8f));
            if (peer) {
                renderer.setSeriesPaint(i, Color.BLACK);
            }
        }
        CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("percentile"), latency, renderer);
        save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true), png);
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

    private static String unit(List<JmhResult> rows) {
        return rows.isEmpty() || rows.get(0).unit() == null ? "" : rows.get(0).unit();
    }

    private static void save(JFreeChart chart, File png) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png, chart, WIDTH, HEIGHT);
    }
}
