package io.epochring;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the timed flush is due, including for intervals whose deadline does not fit a {@code long}. */
class FlushTimerTest {

    @Test
    void shouldTickOnceTheIntervalHasPassedAndSomethingIsUnflushed() {
        FlushTimer timer = new FlushTimer();
        timer.scheduleAfter(1_000, 500, 7);

        assertThat(timer.shouldTick(1_499, 8)).isFalse();
        assertThat(timer.shouldTick(1_500, 7)).as("nothing applied since the last cut").isFalse();
        assertThat(timer.shouldTick(1_500, 8)).isTrue();
    }

    @Test
    void shouldNeverTickWhenTheDeadlineIsPastTheClocksRange() {
        // given a clock far along and the longest interval: now + interval does not fit a long
        FlushTimer timer = new FlushTimer();
        long now = Long.MAX_VALUE / 2;
        timer.scheduleAfter(now, EpochRingBuilder.MAX_FLUSH_INTERVAL.toNanos(), 0);

        // then the flush is due never, not at once (a wrapped-around sum would be in the past)
        assertThat(timer.dueNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(timer.shouldTick(now + 1, 1)).isFalse();
        assertThat(timer.shouldTick(Long.MAX_VALUE - 1, 1)).isFalse();
    }
}
