package io.epochring.bench.report;

import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.category.CategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Vertical bars, each with its value written above it and a whisker from a low to a high value the
 * caller gives. JFreeChart's
 * own error bars ({@code StatisticalBarRenderer}) are symmetric around the bar, which fits a mean
 * ± error but not a median with the spread of the samples around it, which is rarely symmetric.
 */
final class RangeBarRenderer extends BarRenderer {

    private static final long serialVersionUID = 1L;

    private static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 11);

    private final Map<Cell, double[]> ranges = new HashMap<>();
    private final Function<Double, String> label;

    private record Cell(Comparable<?> series, Comparable<?> category) {
    }

    /**
     * @param label the text written above each bar (and its whisker) for the bar's value
     */
    RangeBarRenderer(Function<Double, String> label) {
        this.label = label;
        setShadowVisible(false);
        setBarPainter(new StandardBarPainter());
        setDrawBarOutline(false);
    }

    /** Draws a whisker from {@code low} to {@code high} on the bar of {@code series} in {@code category}. */
    void setRange(Comparable<?> series, Comparable<?> category, double low, double high) {
        ranges.put(new Cell(series, category), new double[] {low, high});
    }

    /** @return the whisker of that bar as {low, high}, or null when it has none */
    double[] range(Comparable<?> series, Comparable<?> category) {
        double[] range = ranges.get(new Cell(series, category));
        return range == null ? null : range.clone();
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                         CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column, int pass) {
        super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
        Number value = dataset.getValue(row, column);
        if (pass != getPassCount() - 1 || value == null) {
            return;
        }
        double x = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, row, column) + state.getBarWidth() / 2;
        double top = rangeAxis.valueToJava2D(value.doubleValue(), dataArea, plot.getRangeAxisEdge());
        double[] range = ranges.get(new Cell(dataset.getRowKey(row), dataset.getColumnKey(column)));
        g2.setPaint(Color.BLACK);
        if (range != null && !Double.isNaN(range[0]) && !Double.isNaN(range[1])) {
            double cap = Math.min(state.getBarWidth() / 4, 6);
            double low = rangeAxis.valueToJava2D(range[0], dataArea, plot.getRangeAxisEdge());
            double high = rangeAxis.valueToJava2D(range[1], dataArea, plot.getRangeAxisEdge());
            g2.setStroke(new BasicStroke(1f));
            g2.draw(new Line2D.Double(x, low, x, high));
            g2.draw(new Line2D.Double(x - cap, low, x + cap, low));
            g2.draw(new Line2D.Double(x - cap, high, x + cap, high));
            top = Math.min(top, high);
        }
        // above the whisker rather than inside the bar, where the whisker would cross it
        g2.setFont(LABEL_FONT);
        TextUtils.drawAlignedString(label.apply(value.doubleValue()), g2, (float) x, (float) top - 3, TextAnchor.BOTTOM_CENTER);
    }

    /** The axis must reach the highest whisker, not only the highest bar. */
    @Override
    public Range findRangeBounds(CategoryDataset dataset, boolean includeInterval) {
        Range bars = super.findRangeBounds(dataset, includeInterval);
        double high = ranges.values().stream().mapToDouble(r -> r[1]).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        if (bars == null || Double.isNaN(high)) {
            return bars;
        }
        return new Range(bars.getLowerBound(), Math.max(bars.getUpperBound(), high));
    }
}
