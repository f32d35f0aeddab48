package io.epochring.kv;

import io.epochring.EpochRingBuilder;
import io.epochring.Flusher;
import io.epochring.PropertyReader;
import io.epochring.ThreadingMode;
import io.epochring.journal.SyncPolicy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * How to open a {@link KvStore}: journaling, channels, flush cadence and threading. Build with
 * {@link #builder()}; {@link Builder#build()} checks every field and names the first bad one.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>journal</td><td>on, in {@code <dir>/journal}, {@link SyncPolicy#NONE} (survives a process crash, not a
 *       power loss), every file kept</td></tr>
 *   <tr><td>channels</td><td>one, "default", capacity 4096</td></tr>
 *   <tr><td>flush interval / size threshold</td><td>200 ms / 64 MiB</td></tr>
 *   <tr><td>sync every flush</td><td>true (DURABLE follows WRITTEN)</td></tr>
 *   <tr><td>threading</td><td>{@link ThreadingMode#SINGLE_THREAD}</td></tr>
 *   <tr><td>ring size</td><td>8192 slots</td></tr>
 * </table>
 */
public final class KvOptions {

    /** The channel a store gets when none is configured. */
    public static final String DEFAULT_CHANNEL = "default";

    private final boolean journal;
    private final SyncPolicy journalSync;
    private final int journalRetainFiles;
    private final boolean journalAdoptCodec;
    private final String name;
    private final Map<String, Integer> channels;
    private final List<String> channelNames;
    private final int ringSize;
    private final Duration flushInterval;
    private final long flushThresholdBytes;
    private final boolean syncEveryFlush;
    private final boolean acceptJournalLoss;
    private final ThreadingMode threadingMode;
    private final Consumer<EpochRingBuilder<KvWrite, Long, KvSegment, KvSnapshot>> ringCustomizer;
    private final UnaryOperator<Flusher<KvSegment, KvSnapshot>> flusherDecorator;

    private KvOptions(Builder b) {
        this.journal = b.journal;
        this.journalSync = b.journalSync;
        this.journalRetainFiles = b.journalRetainFiles;
        this.journalAdoptCodec = b.journalAdoptCodec;
        this.name = b.name;
        this.channels = Map.copyOf(b.channels.isEmpty() ? Map.of(DEFAULT_CHANNEL, 4096) : b.channels);
        this.channelNames = b.channels.isEmpty() ? List.of(DEFAULT_CHANNEL) : List.copyOf(b.channels.keySet());
        this.ringSize = b.ringSize;
        this.flushInterval = b.flushInterval;
        this.flushThresholdBytes = b.flushThresholdBytes;
        this.syncEveryFlush = b.syncEveryFlush;
        this.acceptJournalLoss = b.acceptJournalLoss;
        this.threadingMode = b.threadingMode;
        this.ringCustomizer = b.ringCustomizer;
        this.flusherDecorator = b.flusherDecorator;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the default options */
    public static KvOptions defaults() {
        return builder().build();
    }

    public boolean journal() {
        return journal;
    }

    public SyncPolicy journalSync() {
        return journalSync;
    }

    /** @return how many of the newest journal files retention keeps; 0 when every file is kept */
    public int journalRetainFiles() {
        return journalRetainFiles;
    }

    /** @return whether a journal that names no codec is taken as written by {@link KvCodec} (see {@link Builder#journalAdoptCodec}) */
    public boolean journalAdoptCodec() {
        return journalAdoptCodec;
    }

    public String name() {
        return name;
    }

    /** @return channel names in configuration order; the first is the store's default channel */
    public List<String> channelNames() {
        return channelNames;
    }

    /**
     * @throws IllegalArgumentException when no channel has that name
     */
    public int channelCapacity(String channel) {
        Integer capacity = channels.get(channel);
        if (capacity == null) {
            throw new IllegalArgumentException("unknown channel '" + channel + "': configured channels are " + channelNames);
        }
        return capacity;
    }

    public int ringSize() {
        return ringSize;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public long flushThresholdBytes() {
        return flushThresholdBytes;
    }

    public boolean syncEveryFlush() {
        return syncEveryFlush;
    }

    /** @return whether opening may recover over records the journal is known to have lost (see {@link Builder#acceptJournalLoss}) */
    public boolean acceptJournalLoss() {
        return acceptJournalLoss;
    }

    public ThreadingMode threadingMode() {
        return threadingMode;
    }

    Consumer<EpochRingBuilder<KvWrite, Long, KvSegment, KvSnapshot>> ringCustomizer() {
        return ringCustomizer;
    }

    UnaryOperator<Flusher<KvSegment, KvSnapshot>> flusherDecorator() {
        return flusherDecorator;
    }

    /** Records settings; {@link #build()} validates them. */
    public static final class Builder {

        private boolean journal = true;
        private SyncPolicy journalSync = SyncPolicy.NONE;
        private int journalRetainFiles;
        private boolean journalAdoptCodec;
        private String name = "kv";
        private final Map<String, Integer> channels = new LinkedHashMap<>();
        private int ringSize = 8192;
        private Duration flushInterval = Duration.ofMillis(200);
        private long flushThresholdBytes = 64L << 20;
        private boolean syncEveryFlush = true;
        private boolean acceptJournalLoss;
        private ThreadingMode threadingMode = ThreadingMode.SINGLE_THREAD;
        private Consumer<EpochRingBuilder<KvWrite, Long, KvSegment, KvSnapshot>> ringCustomizer = b -> { };
        private UnaryOperator<Flusher<KvSegment, KvSnapshot>> flusherDecorator = UnaryOperator.identity();
        private String problem;

        private Builder() {
        }

        /** Journals every write in {@code <dir>/journal}, for JOURNALED acknowledgements and recovery at open. */
        public Builder journal(boolean journal) {
            this.journal = journal;
            return this;
        }

        /** When the journal forces appended writes to disk (see {@link SyncPolicy}). */
        public Builder journalSync(SyncPolicy journalSync) {
            this.journalSync = journalSync;
            return this;
        }

        /**
         * Deletes journal files holding only writes at or below the DURABLE checkpoint, keeping
         * at least the newest {@code keepNewest}; 0 (the default) keeps every file.
         */
        public Builder journalRetainFiles(int keepNewest) {
            this.journalRetainFiles = keepNewest;
            return this;
        }

        /**
         * Opens a journal that holds writes but names no codec (written before journals recorded
         * their codec, or its {@code epochring-codec.id} was deleted) as written by {@link KvCodec},
         * and records that; without it such a journal is refused. Only for a journal this store
         * wrote.
         */
        public Builder journalAdoptCodec(boolean adopt) {
            this.journalAdoptCodec = adopt;
            return this;
        }

        /** Names the coordinator's threads ({@code epochring-<name>-...}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds a named channel; the first one added is the store's default channel. */
        public Builder channel(String channel, int capacity) {
            if (channel != null && channels.containsKey(channel) && problem == null) {
                problem = "channel '" + channel + "' is configured twice: channel names must be unique";
            }
            channels.put(channel, capacity);
            return this;
        }

        /** Ring slots, a power of two: bounds writes in flight across all channels. */
        public Builder ringSize(int ringSize) {
            this.ringSize = ringSize;
            return this;
        }

        /** Cuts a flush when this long has passed since the last one. */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** Cuts a flush when the live delta's estimated size reaches this many bytes. */
        public Builder flushThresholdBytes(long flushThresholdBytes) {
            this.flushThresholdBytes = flushThresholdBytes;
            return this;
        }

        /** Whether every flush also syncs RocksDB's WAL (advancing DURABLE), or only {@code flush(true)}. */
        public Builder syncEveryFlush(boolean syncEveryFlush) {
            this.syncEveryFlush = syncEveryFlush;
            return this;
        }

        /**
         * Whether opening may recover over records the journal is known to have lost (off: opening
         * refuses with an {@link io.epochring.JournalLossException} naming what was lost). The journal
         * lost records when they end below what its end marker, its checkpoint or RocksDB says was
         * journaled: a deleted, truncated or zeroed journal file (move a damaged one aside first), or
         * a tail lost in a power cut before it was synced. With this on, the store opens with what is
         * left and {@link KvStore#recovery()} reports how many writes were lost.
         */
        public Builder acceptJournalLoss(boolean acceptJournalLoss) {
            this.acceptJournalLoss = acceptJournalLoss;
            return this;
        }

        public Builder threadingMode(ThreadingMode threadingMode) {
            this.threadingMode = threadingMode;
            return this;
        }

        /**
         * Applies settings from properties; keys under {@code kv.} and {@code journal.} must all be
         * known, keys under other prefixes are ignored. Every value is checked before any is
         * applied: on an error the builder is unchanged. Settings made in code after this call
         * override the properties.
         *
         * <table>
         *   <caption>Keys</caption>
         *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
         *   <tr><td>{@code kv.name}</td><td>kv</td><td>names the coordinator's threads</td></tr>
         *   <tr><td>{@code kv.ring.size}</td><td>8192</td><td>ring slots, a power of two</td></tr>
         *   <tr><td>{@code kv.flush.interval}</td><td>200ms</td><td>cut a flush this long after the last one (like
         *       Kafka's {@code linger.ms}); a plain number is milliseconds</td></tr>
         *   <tr><td>{@code kv.flush.bytes}</td><td>64MiB</td><td>cut a flush when the live delta reaches this size
         *       (like RocksDB's {@code write_buffer_size}); a plain number is bytes</td></tr>
         *   <tr><td>{@code kv.flush.sync}</td><td>true</td><td>every flush also syncs RocksDB's WAL</td></tr>
         *   <tr><td>{@code kv.threading}</td><td>single</td><td>{@code single} or {@code per-stage}</td></tr>
         *   <tr><td>{@code kv.channel.<name>.capacity}</td><td>one channel, default, 4096</td><td>adds a channel;
         *       channels are added sorted by name (properties have no order), the first is the default channel</td></tr>
         *   <tr><td>{@code kv.recovery.accept-journal-loss}</td><td>false</td><td>see
         *       {@link #acceptJournalLoss(boolean)}</td></tr>
         *   <tr><td>{@code kv.journal.enabled}</td><td>true</td><td>journal every write in {@code <dir>/journal}</td></tr>
         *   <tr><td>{@code journal.sync}</td><td>none</td><td>{@code none}, {@code batch}, {@code interval} (with
         *       {@code journal.sync.interval}) or {@code interval:<duration>}</td></tr>
         *   <tr><td>{@code journal.sync.interval}</td><td>-</td><td>the interval of {@code journal.sync=interval};
         *       a plain number is milliseconds</td></tr>
         *   <tr><td>{@code journal.retain.files}</td><td>0</td><td>keep this many newest journal files; 0 keeps
         *       every file</td></tr>
         *   <tr><td>{@code journal.adopt-codec}</td><td>false</td><td>see {@link #journalAdoptCodec(boolean)}</td></tr>
         * </table>
         *
         * <p>{@code journal.dir} and {@code journal.roll.cycle} are refused: the store places its journal.
         * Durations take {@code ns, us, ms, s, m, h, d}; sizes take {@code B, KiB, MiB, GiB, TiB}.
         *
         * @throws IllegalArgumentException naming the key, the value and what is allowed
         */
        public Builder properties(Map<String, String> properties) {
            KvProperties.read(properties).applyTo(this);
            return this;
        }

        /** Applies settings from {@link Properties} (their defaults included); see {@link #properties(Map)}. */
        public Builder properties(Properties properties) {
            return properties(PropertyReader.toMap(properties));
        }

        /**
         * Adjusts the coordinator before it is built (wait strategy, listeners, retry policy...);
         * runs after the store has applied its own settings.
         */
        public Builder ring(Consumer<EpochRingBuilder<KvWrite, Long, KvSegment, KvSnapshot>> customizer) {
            this.ringCustomizer = customizer;
            return this;
        }

        /** Tests: wraps the RocksDB flusher (to block or fail it). */
        Builder flusherDecorator(UnaryOperator<Flusher<KvSegment, KvSnapshot>> decorator) {
            this.flusherDecorator = decorator;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first bad field and what it must be
         */
        public KvOptions build() {
            require(problem == null, problem);
            require(journalSync != null, "journalSync must not be null: use SyncPolicy.NONE, PER_BATCH or interval(d)");
            require(journalRetainFiles >= 0, "journalRetainFiles must be >= 0 (0 keeps every file), was " + journalRetainFiles);
            require(name != null && !name.isBlank(), "name must not be blank");
            for (Map.Entry<String, Integer> channel : channels.entrySet()) {
                require(channel.getKey() != null && !channel.getKey().isBlank(), "channel name must not be blank");
                require(channel.getValue() != null && channel.getValue() > 0,
                        "channel '" + channel.getKey() + "' capacity must be > 0, was " + channel.getValue());
            }
            require(ringSize >= 2 && Integer.bitCount(ringSize) == 1, "ringSize must be a power of two >= 2, was " + ringSize);
            require(flushInterval != null && !flushInterval.isNegative() && !flushInterval.isZero(),
                    "flushInterval must be > 0, was " + flushInterval);
            require(flushThresholdBytes > 0, "flushThresholdBytes must be > 0, was " + flushThresholdBytes);
            require(threadingMode != null, "threadingMode must not be null");
            require(ringCustomizer != null, "ring customizer must not be null");
            Objects.requireNonNull(flusherDecorator);
            return new KvOptions(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException("bad KvOptions: " + message);
            }
        }
    }
}
