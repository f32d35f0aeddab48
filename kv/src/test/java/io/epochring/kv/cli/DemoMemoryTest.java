package io.epochring.kv.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's heap estimate: what fits, what is refused, and advice that makes it fit. */
class DemoMemoryTest {

    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;

    @Test
    void shouldFitTheDefaultsInASmallHeapWithTheStoresRingAndShortChannels() {
        DemoMemory memory = new DemoMemory(100_000, 2, 100, 64 * MiB);

        assertThat(memory.ringSize).isEqualTo(8192);
        assertThat(memory.channelCapacity).isEqualTo(512);
        // no delta holds more than every key once: 100,000 entries of about 224 bytes, not 64 MiB
        assertThat(memory.deltas).isLessThan(4 * 25 * MiB);
        assertThat(memory.refusal(256 * MiB)).isNull();
    }

    @Test
    void shouldShrinkTheRingAndChannelsForLargeValues() {
        DemoMemory memory = new DemoMemory(1_000, 64, 1 << 20, 64 * MiB);

        assertThat(memory.ringSize).isEqualTo(DemoMemory.MIN_RING_SIZE);
        assertThat(memory.channelCapacity).isEqualTo(1);
        assertThat(memory.inFlight).isLessThan(2 * DemoMemory.IN_FLIGHT_BYTES);
    }

    @Test
    void shouldRefuseKeysTheHeapCannotHoldAndNameANumberThatFits() {
        DemoMemory memory = new DemoMemory(100_000_000, 2, 100, 64 * MiB);

        String refusal = memory.refusal(512 * MiB);

        assertThat(refusal).startsWith("the demo would need about ")
                           .contains("381.5 MiB for --keys 100,000,000", "256.0 MiB for up to 4 deltas of --flush-bytes 64.0 MiB")
                           .contains("more than the 409.6 MiB it may use here (80% of this JVM's maximum heap of 512.0 MiB)")
                           .contains("give java more heap (java -Xmx");
        long keys = number(refusal, "lower --keys to at most ([0-9,]+)");
        assertThat(new DemoMemory(keys, 2, 100, 64 * MiB).refusal(512 * MiB)).isNull();
        assertThat(new DemoMemory(keys + 1_000, 2, 100, 64 * MiB).refusal(512 * MiB)).isNotNull();
    }

    @Test
    void shouldRefuseDeltasTheHeapCannotHoldAndNameAFlushSizeThatFits() {
        DemoMemory memory = new DemoMemory(10_000_000, 2, 1_000, 8 * GiB);

        String refusal = memory.refusal(4 * GiB);

        long mib = Math.round(Double.parseDouble(match(refusal, "lower --flush-bytes to at most ([0-9.]+) MiB")));
        assertThat(new DemoMemory(10_000_000, 2, 1_000, (mib - 1) * MiB).refusal(4 * GiB)).isNull();
    }

    @Test
    void shouldOnlyAskForMoreHeapWhenNoSingleOptionCanMakeItFit() {
        String refusal = new DemoMemory(100_000_000, 2, 100, 64 * MiB).refusal(256 * MiB);

        assertThat(refusal).doesNotContain("lower");
        long neededMiB = number(refusal, "give java more heap \\(java -Xmx([0-9]+)m or more\\)$");
        assertThat(new DemoMemory(100_000_000, 2, 100, 64 * MiB).refusal(neededMiB * MiB)).isNull();
    }

    private static long number(String text, String regex) {
        return Long.parseLong(match(text, regex).replace(",", ""));
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in: %s", regex, text).isTrue();
        return m.group(1);
    }
}
