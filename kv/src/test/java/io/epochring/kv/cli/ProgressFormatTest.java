package io.epochring.kv.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's progress line at terminal widths, from fixed numbers (no clock). */
class ProgressFormatTest {

    /** 1,234,567 of 2,000,000 writes after 10 s: 765,433 left at 123,457 writes/s on average is 6.2 s. */
    private static final ProgressFormat.Progress MIDWAY =
        new ProgressFormat.Progress(1_234_567, 2_000_000, 10_000_000_000L, 123_456, 1_200_000, 1_000_000, 900_000, 12);

    @Test
    void shouldKeepProgressAndEtaOnlyAt40Columns() {
        String line = ProgressFormat.format(MIDWAY, 40);

        assertThat(line).isEqualTo("1,234,567/2,000,000 (61.7%)  ETA 7s");
    }

    @Test
    void shouldAddRateElapsedAndDurableAt80Columns() {
        String line = ProgressFormat.format(MIDWAY, 80);

        assertThat(line).isEqualTo("10.0s  1,234,567/2,000,000 (61.7%)  123,456 w/s  ETA 7s  durable 900,000");
    }

    @Test
    void shouldDropOnlyTheWrittenWatermarkAt120Columns() {
        String line = ProgressFormat.format(MIDWAY, 120);

        assertThat(line).isEqualTo("10.0s  1,234,567/2,000,000 (61.7%)  123,456 w/s  ETA 7s  journaled 1,200,000  durable 900,000  flushes 12");
    }

    @Test
    void shouldPrintEveryFieldWhenWidthIsUnbounded() {
        String line = ProgressFormat.format(MIDWAY, Integer.MAX_VALUE);

        assertThat(line).contains("written 1,000,000").contains("journaled 1,200,000").contains("flushes 12");
    }

    @Test
    void shouldCutTheLastFieldRatherThanWrapWhenEvenItDoesNotFit() {
        String line = ProgressFormat.format(MIDWAY, 12);

        assertThat(line).isEqualTo("1,234,567/2,");
    }

    @Test
    void shouldSayTheEtaIsUnknownBeforeTheFirstWriteAndZeroWhenDone() {
        ProgressFormat.Progress starting = new ProgressFormat.Progress(0, 2_000_000, 0, 0, 0, 0, 0, 0);
        ProgressFormat.Progress done = new ProgressFormat.Progress(2_000_000, 2_000_000, 9_000_000_000L, 0, 0, 0, 0, 3);

        assertThat(ProgressFormat.format(starting, 40)).isEqualTo("0/2,000,000 (0.0%)  0 w/s  ETA -");
        assertThat(ProgressFormat.format(done, 40)).startsWith("2,000,000/2,000,000 (100.0%)  ETA 0s");
    }

    @Test
    void shouldStateLongEtasInMinutesAndHours() {
        long second = 1_000_000_000L;

        assertThat(ProgressFormat.eta(new ProgressFormat.Progress(1, 126, second, 0, 0, 0, 0, 0))).isEqualTo("2m05s");
        assertThat(ProgressFormat.eta(new ProgressFormat.Progress(1, 3_721, second, 0, 0, 0, 0, 0))).isEqualTo("1h02m");
    }

    @Test
    void shouldTakeTheWidthFromColumnsAndElse80() {
        assertThat(ProgressFormat.width("132")).isEqualTo(132);
        assertThat(ProgressFormat.width(null)).isEqualTo(80);
        assertThat(ProgressFormat.width("wide")).isEqualTo(80);
        assertThat(ProgressFormat.width("0")).isEqualTo(80);
    }
}
