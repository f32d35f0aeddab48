package io.epochring.kv;

import io.epochring.EpochRing;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.SyncPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One properties file configures a coordinator and its journal, each reading its own prefix; a kv
 * store's file holds no journal.dir, since the store places its journal.
 */
class PropertiesFileExampleTest {

    private static final String FILE = String.join("\n",
            "# coordinator",
            "epochring.name=orders",
            "epochring.flush.interval=200ms",
            "epochring.threading=per-stage",
            "# journal",
            "journal.dir=/var/lib/orders/journal",
            "journal.sync=interval:50ms",
            "journal.retain.files=4",
            "# store",
            "kv.flush.bytes=64MiB");
    private static final String KV_FILE = String.join("\n",
            "kv.flush.bytes=64MiB",
            "journal.sync=interval:50ms",
            "journal.retain.files=4");

    @Test
    void shouldLetTheCoordinatorAndJournalShareOneFileAndTheStoreReadItsOwn() throws IOException {
        // given
        Properties props = new Properties();
        props.load(new StringReader(FILE));

        Properties kvProps = new Properties();
        kvProps.load(new StringReader(KV_FILE));

        // when / then: neither refuses the other's keys
        EpochRing.builder(new KvDelta(), new ForwardingFlusher(null) { }).properties(props);
        ChronicleJournal.fromProperties(props);
        KvOptions options = KvOptions.builder().properties(kvProps).build();

        assertThat(options.journalSync()).isEqualTo(SyncPolicy.interval(Duration.ofMillis(50)));
        assertThat(options.journalRetainFiles()).isEqualTo(4);
        assertThat(options.flushThresholdBytes()).isEqualTo(64L << 20);
    }
}
