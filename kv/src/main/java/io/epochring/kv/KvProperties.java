package io.epochring.kv;

import io.epochring.PropertyReader;
import io.epochring.ThreadingMode;
import io.epochring.journal.JournalProperties;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the {@code kv.*} keys and the journal's sync, retention and codec keys (see
 * {@link KvOptions.Builder#properties(Map)}) into settings, every one checked before any reaches the
 * builder.
 */
final class KvProperties {

    static final String PREFIX = "kv.";
    static final String NAME = PREFIX + "name";
    static final String RING_SIZE = PREFIX + "ring.size";
    static final String FLUSH_INTERVAL = PREFIX + "flush.interval";
    static final String FLUSH_BYTES = PREFIX + "flush.bytes";
    static final String FLUSH_SYNC = PREFIX + "flush.sync";
    static final String THREADING = PREFIX + "threading";
    static final String CHANNEL = PREFIX + "channel.";
    static final String CAPACITY = ".capacity";
    static final String ACCEPT_JOURNAL_LOSS = PREFIX + "recovery.accept-journal-loss";
    static final String JOURNAL = PREFIX + "journal.enabled";
    static final List<String> KEYS = List.of(NAME, RING_SIZE, FLUSH_INTERVAL, FLUSH_BYTES, FLUSH_SYNC, THREADING,
                                             CHANNEL + "<name>" + CAPACITY, ACCEPT_JOURNAL_LOSS, JOURNAL);
    private static final Map<String, ThreadingMode> THREADING_NAMES = ThreadingMode.byConfigName();

    private final List<Consumer<KvOptions.Builder>> settings = new ArrayList<>();

    private KvProperties(Map<String, String> properties) {
        PropertyReader in = new PropertyReader(properties, PREFIX);
        set(in.string(NAME), (b, v) -> b.name(v));
        Integer ringSize = in.intIn(RING_SIZE, 2, 1 << 30);
        if (ringSize != null && Integer.bitCount(ringSize) != 1) {
            throw PropertyReader.bad(RING_SIZE, in.raw(RING_SIZE), "a power of two from 2 to " + (1 << 30));
        }
        set(ringSize, (b, v) -> b.ringSize(v));
        set(in.duration(FLUSH_INTERVAL, ChronoUnit.MILLIS), (b, v) -> b.flushInterval(v));
        set(in.bytes(FLUSH_BYTES), (b, v) -> b.flushThresholdBytes(v));
        set(in.bool(FLUSH_SYNC), (b, v) -> b.syncEveryFlush(v));
        set(in.choice(THREADING, THREADING_NAMES), (b, v) -> b.threadingMode(v));
        for (String channel : in.names(CHANNEL, CAPACITY)) {
            int capacity = in.intIn(CHANNEL + channel + CAPACITY, 1, Integer.MAX_VALUE);
            settings.add(b -> b.channel(channel, capacity));
        }
        set(in.bool(ACCEPT_JOURNAL_LOSS), (b, v) -> b.acceptJournalLoss(v));
        set(in.bool(JOURNAL), (b, v) -> b.journal(v));
        in.refuseUnknown(KEYS);
        JournalProperties journal = JournalProperties.readShared(properties, "a kv store (its journal is <dir>/journal)");
        set(journal.sync(), (b, v) -> b.journalSync(v));
        set(journal.retainFiles(), (b, v) -> b.journalRetainFiles(v));
        set(journal.adoptCodec(), (b, v) -> b.journalAdoptCodec(v));
    }

    /** @throws IllegalArgumentException naming the first bad or unknown key; nothing is applied then */
    static KvProperties read(Map<String, String> properties) {
        return new KvProperties(properties);
    }

    void applyTo(KvOptions.Builder builder) {
        settings.forEach(s -> s.accept(builder));
    }

    private <T> void set(T value, java.util.function.BiConsumer<KvOptions.Builder, T> setter) {
        if (value != null) {
            settings.add(b -> setter.accept(b, value));
        }
    }
}
