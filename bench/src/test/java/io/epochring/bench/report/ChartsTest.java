package io.epochring.bench.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The charts plot the numbers the report's tables and ratios use. The fixture is bimodal on
 * purpose: EpochRing's mean (11.8 M, one fast fork) is above the peer's while its median (5.4 M) is
 * well below it, so a chart of means would contradict the report's 0.55×.
 */
class ChartsTest {

    private static final String FIXTURE = "bimodal-2cores.json";

    @TempDir
    Path folder;

    private List<JmhResult> rows;
    private String report;

    @BeforeEach
    void renderTheFixture() throws Exception {
        Path json = folder.resolve(FIXTURE);
        try (var in = ChartsTest.class.getResourceAsStream(FIXTURE)) {
            Files.write(json, in.readAllBytes());
        }
        rows = JmhResult.parseAll(Files.readString(json, StandardCharsets.UTF_8));
        report = Files.readString(PerfReport.render(json, folder.resolve("out")));
    }

    @Test
    void shouldPlotEachBarAtTheMedianTheReportShowsAndDivides() {
        // when
        CategoryDataset bars = Charts.throughputChart("t", rows("OneToOneApplyThroughput")).getCategoryPlot().getDataset();

        // then: the plotted values are the medians, not the means
        double epochRing = bars.getValue("EpochRing SINGLE_THREAD", "65536 / sleeping").doubleValue();
        double peer = bars.getValue("peer", "65536 / sleeping").doubleValue();
        double ceiling = bars.getValue("ceiling", "65536 / sleeping").doubleValue();
        assertThat(epochRing).isEqualTo(5.4e6).isEqualTo(row("OneToOneApplyThroughput", "epochRing").median());
        assertThat(peer).isEqualTo(9.9e6);
        assertThat(ceiling).isEqualTo(7.9e6);
        assertThat(row("OneToOneApplyThroughput", "epochRing").score()).isEqualTo(11.8e6, within(1.0));

        // and: the report's table prints those values and divides them
        assertThat(report).contains("| EpochRing SINGLE_THREAD | 65536 / sleeping | " + MarkdownReport.number(epochRing) + " (");
        assertThat(report).contains("| " + MarkdownReport.number(peer) + " (");
        assertThat(report).contains(" | " + MarkdownReport.ratio(epochRing / peer) + " | ");
        assertThat(report).contains(" | " + MarkdownReport.ratio(epochRing / ceiling) + " | ");
        assertThat(MarkdownReport.ratio(epochRing / peer)).isEqualTo("0.55×");
    }

    @Test
    void shouldDrawWhiskersFromTheSlowestToTheFastestIteration() {
        JFreeChart chart = Charts.throughputChart("t", rows("OneToOneApplyThroughput"));
        RangeBarRenderer renderer = (RangeBarRenderer) chart.getCategoryPlot().getRenderer();

        assertThat(renderer.range("EpochRing SINGLE_THREAD", "65536 / sleeping")).containsExactly(4.8e6, 26e6);
        assertThat(renderer.range("peer", "65536 / sleeping")).containsExactly(9.6e6, 10.2e6);
        // the axis reaches the highest whisker, not only the highest bar
        assertThat(chart.getCategoryPlot().getRangeAxis().getUpperBound()).isGreaterThanOrEqualTo(26e6);
    }

    @Test
    void shouldNameTheStatisticAndWriteReadableUnitsOnTheThroughputAxis() {
        JFreeChart chart = Charts.throughputChart("OneToOneApplyThroughput, JDK 17.0.15", rows("OneToOneApplyThroughput"));
        ValueAxis axis = chart.getCategoryPlot().getRangeAxis();

        assertThat(axis.getLabel()).isEqualTo("median of 3 forks × 3 iterations of 1 s (ops/s)");
        assertThat(((NumberAxis) axis).getNumberFormatOverride().format(25e6)).isEqualTo("25 M ops/s");
        assertThat(((TextTitle) chart.getSubtitle(1)).getText()).contains("median").contains("ratios").contains("slowest to fastest");
    }

    @Test
    void shouldPlotTheLatencyPercentilesTheReportTabulatesInReadableUnits() {
        JFreeChart chart = Charts.latencyChart("PingPongApplyLatency", rows("PingPongApplyLatency"));
        CategoryPlot plot = chart.getCategoryPlot();

        CategoryDataset curves = plot.getDataset();
        double p50 = curves.getValue("EpochRing SINGLE_THREAD sleeping", "p50").doubleValue();
        double p90 = curves.getValue("EpochRing SINGLE_THREAD sleeping", "p90").doubleValue();
        double p99 = curves.getValue("EpochRing SINGLE_THREAD sleeping", "p99").doubleValue();
        double peerP99 = curves.getValue("peer", "p99").doubleValue();
        assertThat(p99).isEqualTo(8.4);
        assertThat(report).contains("| EpochRing SINGLE_THREAD | sleeping | " + MarkdownReport.number(p50) + " | "
                                    + MarkdownReport.number(p90) + " | " + MarkdownReport.number(p99) + " |");
        assertThat(report).contains(" | " + MarkdownReport.ratio(p99 / peerP99) + " | ");
        assertThat(((LogAxis) plot.getRangeAxis()).getNumberFormatOverride().format(1.0)).isEqualTo("1 µs");
        assertThat(((TextTitle) chart.getSubtitle(1)).getText()).contains("2 forks × 2 iterations of 2 s");
    }

    private List<JmhResult> rows(String benchmark) {
        return rows.stream().filter(r -> r.benchmarkClass().equals(benchmark)).toList();
    }

    private JmhResult row(String benchmark, String method) {
        return rows(benchmark).stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }
}
