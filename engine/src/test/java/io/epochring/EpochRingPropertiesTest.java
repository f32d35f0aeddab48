package io.epochring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link EpochRingBuilder#properties(Map)}: every key binds, and bad input is refused whole. */
class EpochRingPropertiesTest {

    private static EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder() {
        return EpochRing.builder(new MapDelta(), new TestFlusher());
    }

    @Test
    void shouldBindEveryKey() {
        // given
        Map<String, String> props = Map.of(
                "epochring.name", "orders",
                "epochring.ring.size", "1024",
                "epochring.flush.interval", "2s",
                "epochring.flush.bytes", "16MiB",
                "epochring.flush.sync", "false",
                "epochring.threading", "per-stage",
                "epochring.wait.strategy", "busy-spin",
                "epochring.channel.fast.capacity", "64",
                "epochring.channel.slow.capacity", "8",
                "epochring.recovery.accept-journal-loss", "TRUE");

        // when
        var b = builder().properties(props);

        // then
        assertThat(b.name).isEqualTo("orders");
        assertThat(b.ringSize).isEqualTo(1024);
        assertThat(b.flushInterval).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.flushThresholdBytes).isEqualTo(16L << 20);
        assertThat(b.syncEveryFlush).isFalse();
        assertThat(b.threadingMode).isEqualTo(ThreadingMode.THREAD_PER_STAGE);
        assertThat(b.waitStrategy).isInstanceOf(BusySpinWaitStrategy.class);
        assertThat(b.channels).containsExactly(Map.entry("fast", 64), Map.entry("slow", 8));
        assertThat(b.acceptJournalLoss).isTrue();
        b.build().close();
    }

    @Test
    void shouldBindTheLinger() {
        var b = builder().properties(Map.of("epochring.linger", "7us"));

        assertThat(b.linger).isEqualTo(Duration.ofNanos(7_000));
        b.build().close();
    }

    @Test
    void shouldLingerFiveMicrosecondsByDefaultAndTakeZeroForNone() {
        assertThat(builder().linger).isEqualTo(Duration.ofNanos(5_000));
        assertThat(builder().properties(Map.of("epochring.linger", "0")).linger).isEqualTo(Duration.ZERO);
        assertThat(builder().properties(Map.of("epochring.linger", "0us")).linger).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldLingerBeforeRunsOf64OrHalfTheSmallestChannel() {
        Map<String, Integer> defaultChannel = Map.of("default", 1024);
        assertThat(builder().concludedWaitStrategy(defaultChannel)).isInstanceOf(LingeringWaitStrategy.class)
            .asString().endsWith("after a linger of 5000 ns (runs of 64 slots taken at once)");
        assertThat(builder().concludedWaitStrategy(Map.of("a", 10, "b", 4096)).toString()).endsWith("(runs of 5 slots taken at once)");
        assertThat(builder().ringSize(16).concludedWaitStrategy(defaultChannel).toString()).endsWith("(runs of 4 slots taken at once)");
        assertThat(builder().waitStrategy(new BusySpinWaitStrategy()).linger(Duration.ZERO).concludedWaitStrategy(defaultChannel))
            .isInstanceOf(BusySpinWaitStrategy.class);
    }

    @Test
    void shouldReadPlainNumbersInTheirDocumentedUnits() {
        var b = builder().properties(Map.of("epochring.flush.interval", "50", "epochring.flush.bytes", "4096", "epochring.linger", "3"));

        assertThat(b.flushInterval).isEqualTo(Duration.ofMillis(50));
        assertThat(b.linger).isEqualTo(Duration.ofNanos(3_000));
        assertThat(b.flushThresholdBytes).isEqualTo(4096);
    }

    @Test
    void shouldReadJavaUtilPropertiesWithTheirDefaults() {
        Properties defaults = new Properties();
        defaults.setProperty("epochring.flush.interval", "1m");
        Properties props = new Properties(defaults);
        props.setProperty("epochring.threading", "single");
        props.setProperty("epochring.single-producer", "true");

        var b = builder().properties(props);

        assertThat(b.flushInterval).isEqualTo(Duration.ofMinutes(1));
        assertThat(b.threadingMode).isEqualTo(ThreadingMode.SINGLE_THREAD);
        assertThat(b.singleProducer).isTrue();
    }

    @Test
    void shouldIgnoreKeysOfOtherComponents() {
        var b = builder().properties(Map.of("journal.sync", "batch", "epochring.name", "x"));

        assertThat(b.name).isEqualTo("x");
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> builder().properties(Map.of("epochring.flush.intervall", "2s")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown property epochring.flush.intervall=2s")
                .hasMessageContaining("epochring.flush.interval");
        assertThatThrownBy(() -> builder().properties(Map.of("epochring.channel.a.capacty", "2")))
                .hasMessageContaining("unknown property epochring.channel.a.capacty");
    }

    @Test
    void shouldRefuseBadValuesNamingKeyValueAndWhatIsAllowed() {
        assertBad("epochring.flush.interval", "2 weeks", "a duration");
        assertBad("epochring.flush.interval", "0ms", "above zero");
        assertBad("epochring.flush.bytes", "64MB", "MiB");
        assertBad("epochring.flush.sync", "yes", "true or false");
        assertBad("epochring.threading", "many", "single, per-stage");
        assertBad("epochring.wait.strategy", "lazy", "blocking, sleeping, yielding, busy-spin");
        assertBad("epochring.linger", "-5us", "zero or more");
        assertBad("epochring.ring.size", "1000", "power of two");
        assertBad("epochring.ring.size", "abc", "whole number");
        assertBad("epochring.channel.a.capacity", "0", "from 1");
        assertBad("epochring.name", "", "non-blank");
    }

    @Test
    void shouldRefuseOverflow() {
        assertBad("epochring.flush.interval", "106752d", "too large");
        assertBad("epochring.flush.interval", "99999999999999999999ms", "too large");
        assertBad("epochring.flush.bytes", "8388608TiB", "too large");
        assertBad("epochring.ring.size", "4294967296", "whole number");
        assertBad("epochring.channel.a.capacity", "2147483648", "whole number");
    }

    @Test
    void shouldApplyNothingWhenOneValueIsBad() {
        var b = builder();

        assertThatThrownBy(() -> b.properties(Map.of("epochring.name", "orders", "epochring.channel.a.capacity", "8",
                                                     "epochring.flush.sync", "maybe")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(b.name).isEqualTo("epochring");
        assertThat(b.channels).isEmpty();
        assertThat(b.syncEveryFlush).isTrue();
    }

    private static void assertBad(String key, String value, String allowed) {
        assertThatThrownBy(() -> builder().properties(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key + "=" + value)
                .hasMessageContaining(allowed);
    }
}
