package io.epochring.kv;

import io.epochring.ThreadingMode;
import io.epochring.journal.SyncPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KvOptions.Builder#properties(Map)}: every key binds, and bad input is refused whole. */
class KvPropertiesTest {

    @Test
    void shouldBindEveryKey() {
        // given
        Map<String, String> props = new HashMap<>();
        props.put("kv.name", "orders");
        props.put("kv.ring.size", "2048");
        props.put("kv.flush.interval", "1s");
        props.put("kv.flush.bytes", "1GiB");
        props.put("kv.flush.sync", "false");
        props.put("kv.threading", "PER-STAGE");
        props.put("kv.channel.a.capacity", "16");
        props.put("kv.channel.b.capacity", "32");
        props.put("kv.recovery.accept-journal-loss", "true");
        props.put("kv.journal.enabled", "false");
        props.put("journal.sync", "interval:50ms");
        props.put("journal.retain.files", "4");
        props.put("journal.adopt-codec", "true");

        // when
        KvOptions options = KvOptions.builder().properties(props).build();

        // then
        assertThat(options.name()).isEqualTo("orders");
        assertThat(options.ringSize()).isEqualTo(2048);
        assertThat(options.flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.flushThresholdBytes()).isEqualTo(1L << 30);
        assertThat(options.syncEveryFlush()).isFalse();
        assertThat(options.threadingMode()).isEqualTo(ThreadingMode.THREAD_PER_STAGE);
        assertThat(options.channelNames()).containsExactly("a", "b");
        assertThat(options.channelCapacity("b")).isEqualTo(32);
        assertThat(options.acceptJournalLoss()).isTrue();
        assertThat(options.journal()).isFalse();
        assertThat(options.journalSync()).isEqualTo(SyncPolicy.interval(Duration.ofMillis(50)));
        assertThat(options.journalRetainFiles()).isEqualTo(4);
        assertThat(options.journalAdoptCodec()).isTrue();
    }

    @Test
    void shouldReadJavaUtilPropertiesAndKeepDefaultsForAbsentKeys() {
        Properties props = new Properties();
        props.setProperty("journal.sync", "batch");
        props.setProperty("epochring.name", "another component's key");

        KvOptions options = KvOptions.builder().properties(props).build();

        assertThat(options.journalSync()).isEqualTo(SyncPolicy.PER_BATCH);
        assertThat(options.name()).isEqualTo("kv");
        assertThat(options.ringSize()).isEqualTo(8192);
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> KvOptions.builder().properties(Map.of("kv.write.buffer.size", "64MiB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown property kv.write.buffer.size=64MiB")
                .hasMessageContaining("kv.flush.bytes");
        assertThatThrownBy(() -> KvOptions.builder().properties(Map.of("journal.syncs", "none")))
                .hasMessageContaining("unknown property journal.syncs=none");
    }

    @Test
    void shouldRefuseJournalKeysTheStoreDecidesItself() {
        assertThatThrownBy(() -> KvOptions.builder().properties(Map.of("journal.dir", "/elsewhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal.dir=/elsewhere is not settable for a kv store");
        assertThatThrownBy(() -> KvOptions.builder().properties(Map.of("journal.roll.cycle", "FAST_DAILY")))
                .hasMessageContaining("journal.roll.cycle=FAST_DAILY is not settable");
    }

    @Test
    void shouldRefuseBadValuesNamingKeyValueAndWhatIsAllowed() {
        assertBad("kv.flush.interval", "fast", "a duration");
        assertBad("kv.flush.bytes", "1.5GiB", "a size");
        assertBad("kv.flush.sync", "on", "true or false");
        assertBad("kv.threading", "pool", "single, per-stage");
        assertBad("kv.ring.size", "3", "power of two");
        assertBad("kv.channel.x.capacity", "-4", "from 1");
        assertBad("kv.journal.enabled", "no", "true or false");
        assertBad("journal.sync", "sometimes", "none, batch");
    }

    @Test
    void shouldRefuseOverflow() {
        assertBad("kv.flush.bytes", "9223372036854775808", "too large");
        assertBad("kv.flush.bytes", "8388608TiB", "too large");
        assertBad("kv.flush.interval", "292471d", "too large");
        assertBad("journal.sync.interval", "9223372036854775807s", "too large");
    }

    @Test
    void shouldApplyNothingWhenOneValueIsBad() {
        KvOptions.Builder builder = KvOptions.builder();

        assertThatThrownBy(() -> builder.properties(Map.of("kv.name", "orders", "kv.channel.a.capacity", "8",
                                                           "journal.sync", "never")))
                .isInstanceOf(IllegalArgumentException.class);

        KvOptions options = builder.build();
        assertThat(options.name()).isEqualTo("kv");
        assertThat(options.channelNames()).containsExactly(KvOptions.DEFAULT_CHANNEL);
    }

    private static void assertBad(String key, String value, String allowed) {
        assertThatThrownBy(() -> KvOptions.builder().properties(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key + "=" + value)
                .hasMessageContaining(allowed);
    }
}
