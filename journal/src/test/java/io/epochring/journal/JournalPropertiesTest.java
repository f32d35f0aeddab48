package io.epochring.journal;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ChronicleJournal#fromProperties(Map)}: every key binds, and bad input is refused naming key and value. */
class JournalPropertiesTest {

    @Test
    void shouldBindEveryKey() {
        // when
        ChronicleJournalBuilder b = ChronicleJournal.fromProperties(Map.of(
                "journal.dir", "/tmp/j",
                "journal.sync", "interval",
                "journal.sync.interval", "50ms",
                "journal.roll.cycle", "fast_daily",
                "journal.retain.files", "3",
                "journal.adopt-codec", "true"));

        // then
        assertThat(b.directory).isEqualTo(Path.of("/tmp/j"));
        assertThat(b.syncPolicy).isEqualTo(SyncPolicy.interval(Duration.ofMillis(50)));
        assertThat(b.rollCycle).isEqualTo(RollCycles.FAST_DAILY);
        assertThat(b.rollCycleSet).isTrue();
        assertThat(b.retention).isTrue();
        assertThat(b.retainFiles).isEqualTo(3);
        assertThat(b.adoptCodec).isTrue();
    }

    @Test
    void shouldReadEachSyncPolicyByName() {
        assertThat(sync("none")).isEqualTo(SyncPolicy.NONE);
        assertThat(sync("batch")).isEqualTo(SyncPolicy.PER_BATCH);
        assertThat(sync("interval:2s")).isEqualTo(SyncPolicy.interval(Duration.ofSeconds(2)));
        assertThat(sync("INTERVAL:100")).isEqualTo(SyncPolicy.interval(Duration.ofMillis(100)));
    }

    @Test
    void shouldKeepEveryFileWhenRetainFilesIsZeroAndAcceptLargeRollCycles() {
        ChronicleJournalBuilder b = ChronicleJournal.fromProperties(Map.of("journal.dir", "j", "journal.retain.files", "0",
                                                                    "journal.roll.cycle", "LARGE_DAILY"));

        assertThat(b.retention).isFalse();
        assertThat(b.rollCycle).isEqualTo(LargeRollCycles.LARGE_DAILY);
    }

    @Test
    void shouldReadJavaUtilProperties() {
        Properties props = new Properties();
        props.setProperty("journal.dir", "j");
        props.setProperty("journal.sync", "batch");
        props.setProperty("epochring.name", "ignored here");

        ChronicleJournalBuilder b = ChronicleJournal.fromProperties(props);

        assertThat(b.syncPolicy).isEqualTo(SyncPolicy.PER_BATCH);
    }

    @Test
    void shouldRefuseAMissingDirectory() {
        assertThatThrownBy(() -> ChronicleJournal.fromProperties(Map.of("journal.sync", "none")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal.dir is missing");
    }

    @Test
    void shouldRefuseAnUnknownKeyNamingIt() {
        assertThatThrownBy(() -> ChronicleJournal.fromProperties(Map.of("journal.dir", "j", "journal.flush.messages", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown property journal.flush.messages=1")
                .hasMessageContaining("journal.sync");
    }

    @Test
    void shouldRefuseBadValuesNamingKeyValueAndWhatIsAllowed() {
        assertBad("journal.sync", "always", "none, batch, interval");
        assertBad("journal.sync", "interval:0ms", "above zero");
        assertBad("journal.sync", "interval:soon", "a duration");
        assertBad("journal.roll.cycle", "FORTNIGHTLY", "FAST_HOURLY");
        assertBad("journal.retain.files", "-1", "from 0");
        assertBad("journal.adopt-codec", "1", "true or false");
        assertBad("journal.sync.interval", "3x", "a duration");
    }

    @Test
    void shouldRefuseOverflow() {
        assertBad("journal.sync", "interval:9999999999h", "too large");
        assertBad("journal.retain.files", "99999999999", "whole number");
    }

    @Test
    void shouldRefuseAnIntervalThatDoesNotMatchThePolicy() {
        assertThatThrownBy(() -> ChronicleJournal.fromProperties(Map.of("journal.dir", "j", "journal.sync", "interval")))
                .hasMessageContaining("journal.sync=interval needs journal.sync.interval");
        assertThatThrownBy(() -> ChronicleJournal.fromProperties(Map.of("journal.dir", "j", "journal.sync.interval", "5ms")))
                .hasMessageContaining("journal.sync.interval=5ms needs journal.sync=interval");
        assertThatThrownBy(() -> ChronicleJournal.fromProperties(Map.of("journal.dir", "j", "journal.sync", "batch",
                                                                 "journal.sync.interval", "5ms")))
                .hasMessageContaining("remove one");
    }

    private static SyncPolicy sync(String value) {
        return ChronicleJournal.fromProperties(Map.of("journal.dir", "j", "journal.sync", value)).syncPolicy;
    }

    private static void assertBad(String key, String value, String allowed) {
        assertThatThrownBy(() -> ChronicleJournal.fromProperties(Map.of("journal.dir", "j", key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key + "=")
                .hasMessageContaining(value)
                .hasMessageContaining(allowed);
    }
}
