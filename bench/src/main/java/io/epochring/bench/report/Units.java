package io.epochring.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;

/**
 * Writes a JMH score with a readable unit for chart axes and labels: a rate as {@code "25 M ops/s"}
 * or {@code "310 k ops/s"} (whatever the run's time unit, rates are shown per second), a time as
 * {@code "840 ns"}, {@code "8.4 µs"} or {@code "5.33 ms"}. Three significant digits: enough to read
 * a chart, and the report's tables carry the exact numbers.
 */
final class Units {

    private static final String[] RATE_PREFIXES = {"", "k", "M", "G", "T"};
    private static final String[] TIME_UNITS = {"ns", "µs", "ms", "s"};

    private Units() {
    }

    /**
     * @param value a score in JMH's unit
     * @param unit  JMH's score unit: {@code ops/s}, {@code ops/ms}, {@code us/op}, {@code ns/op}, ...
     * @return the value scaled to a readable unit, e.g. {@code "6.66 M ops/s"}; {@code "n/a"} for NaN
     */
    static String format(double value, String unit) {
        return format(value, unit, true);
    }

    /**
     * @return as {@link #format}, without the unit of a rate ({@code "6.66 M"}): for a label on a bar
     *         of a chart whose axis names the unit; a time keeps its unit, which carries the scale
     */
    static String label(double value, String unit) {
        return format(value, unit, false);
    }

    private static String format(double value, String unit, boolean rateUnit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        String u = unit == null ? "" : unit;
        int slash = u.indexOf('/');
        if (slash > 0) {
            double numeratorNanos = nanos(u.substring(0, slash));
            if (!Double.isNaN(numeratorNanos)) {
                return time(value * numeratorNanos);
            }
            double denominatorNanos = nanos(u.substring(slash + 1));
            if (!Double.isNaN(denominatorNanos)) {
                // a rate per ms or per µs still reads best per second, like the ops/s runs beside it
                return rate(value * 1e9 / denominatorNanos, rateUnit ? u.substring(0, slash) + "/s" : "");
            }
        }
        double nanos = nanos(u);
        return Double.isNaN(nanos) ? rate(value, rateUnit ? u : "") : time(value * nanos);
    }

    /** @return a tick label format for an axis whose values are in JMH's {@code unit} */
    static NumberFormat axisFormat(String unit) {
        return new NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
                return toAppendTo.append(Units.format(number, unit));
            }

            @Override
            public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
                return format((double) number, toAppendTo, pos);
            }

            @Override
            public Number parse(String source, ParsePosition parsePosition) {
                throw new UnsupportedOperationException("chart labels are only written");
            }
        };
    }

    /** @return nanoseconds in one {@code unit}, or NaN when it is not a time unit */
    private static double nanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> Double.NaN;
        };
    }

    private static String time(double nanos) {
        int scale = 0;
        double value = round(nanos);
        while (Math.abs(value) >= 1000 && scale < TIME_UNITS.length - 1) {
            value = round(value / 1000);
            scale++;
        }
        return plain(value) + " " + TIME_UNITS[scale];
    }

    private static String rate(double value, String unit) {
        int scale = 0;
        double scaled = round(value);
        while (Math.abs(scaled) >= 1000 && scale < RATE_PREFIXES.length - 1) {
            scaled = round(scaled / 1000);
            scale++;
        }
        String number = scale == 0 ? plain(scaled) : plain(scaled) + " " + RATE_PREFIXES[scale];
        return unit.isEmpty() ? number : number + " " + unit;
    }

    /** Rounding before choosing the prefix, so 999,999 becomes "1 M", not "1000 k". */
    private static double round(double value) {
        return value == 0 ? 0 : new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }

    private static String plain(double value) {
        String s = new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
