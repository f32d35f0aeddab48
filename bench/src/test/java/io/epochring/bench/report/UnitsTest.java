package io.epochring.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Chart axes and labels read as "25 M ops/s" and "8.4 µs", not as 25,000,000 and 8.4. */
class UnitsTest {

    @Test
    void shouldScaleRatesWithAPrefixAndThreeSignificantDigits() {
        assertThat(Units.format(25_000_000, "ops/s")).isEqualTo("25 M ops/s");
        assertThat(Units.format(310_000, "ops/s")).isEqualTo("310 k ops/s");
        assertThat(Units.format(6_662_345.7, "ops/s")).isEqualTo("6.66 M ops/s");
        assertThat(Units.format(2_500_000, "ops/s")).isEqualTo("2.5 M ops/s");
        assertThat(Units.format(512, "ops/s")).isEqualTo("512 ops/s");
        assertThat(Units.format(0, "ops/s")).isEqualTo("0 ops/s");
        assertThat(Units.format(1.2e9, "ops/s")).isEqualTo("1.2 G ops/s");
    }

    @Test
    void shouldMoveToTheNextPrefixWhenRoundingReachesAThousand() {
        assertThat(Units.format(999_999, "ops/s")).isEqualTo("1 M ops/s");
        assertThat(Units.format(999.9, "ns/op")).isEqualTo("1 µs");
    }

    @Test
    void shouldShowARatePerMillisecondOrMicrosecondPerSecond() {
        assertThat(Units.format(25_000, "ops/ms")).isEqualTo("25 M ops/s");
        assertThat(Units.format(0.31, "ops/us")).isEqualTo("310 k ops/s");
    }

    @Test
    void shouldWriteTimesInNanoMicroOrMilliseconds() {
        assertThat(Units.format(0.84, "us/op")).isEqualTo("840 ns");
        assertThat(Units.format(8.4, "us/op")).isEqualTo("8.4 µs");
        assertThat(Units.format(5330.78, "us/op")).isEqualTo("5.33 ms");
        assertThat(Units.format(1500, "ns/op")).isEqualTo("1.5 µs");
        assertThat(Units.format(2.5, "s/op")).isEqualTo("2.5 s");
        assertThat(Units.format(0.01, "us/op")).isEqualTo("10 ns");
    }

    @Test
    void shouldDropTheRateUnitOnBarLabelsButKeepATimeUnit() {
        assertThat(Units.label(6_662_345.7, "ops/s")).isEqualTo("6.66 M");
        assertThat(Units.label(175_000, "ops/s")).isEqualTo("175 k");
        assertThat(Units.label(8.4, "us/op")).isEqualTo("8.4 µs");
    }

    @Test
    void shouldKeepAnUnknownUnitAndSayNotAvailableForNaN() {
        assertThat(Units.format(72, "B/op")).isEqualTo("72 B/op");
        assertThat(Units.format(0.01, "B/op")).isEqualTo("0.01 B/op");
        assertThat(Units.format(Double.NaN, "ops/s")).isEqualTo("n/a");
        assertThat(Units.format(1500, null)).isEqualTo("1.5 k");
    }

    @Test
    void shouldFormatAxisTicksTheSameWay() {
        assertThat(Units.axisFormat("ops/s").format(25_000_000)).isEqualTo("25 M ops/s");
        assertThat(Units.axisFormat("us/op").format(100.0)).isEqualTo("100 µs");
        assertThat(Units.axisFormat("us/op").format(0.1)).isEqualTo("100 ns");
    }
}
