package io.epochring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the {@code epochring.*} keys (see {@link EpochRingBuilder#properties(Map)}) into settings,
 * every one checked before any reaches the builder.
 */
final class EngineProperties {

    static final String PREFIX = "epochring.";
    static final String NAME = PREFIX + "name";
    static final String RING_SIZE = PREFIX + "ring.size";
    static final String FLUSH_INTERVAL = PREFIX + "flush.interval";
    static final String FLUSH_BYTES = PREFIX + "flush.bytes";
    static final String FLUSH_SYNC = PREFIX + "flush.sync";
    static final String THREADING = PREFIX + "threading";
    static final String WAIT_STRATEGY = PREFIX + "wait.strategy";
    static final String SINGLE_PRODUCER = PREFIX + "single-producer";
    static final String LINGER = PREFIX + "linger";
    static final String CHANNEL = PREFIX + "channel.";
    static final String CAPACITY = ".capacity";
    static final String ACCEPT_JOURNAL_LOSS = PREFIX + "recovery.accept-journal-loss";
    static final List<String> KEYS = List.of(NAME, RING_SIZE, FLUSH_INTERVAL, FLUSH_BYTES, FLUSH_SYNC, THREADING,
                                             WAIT_STRATEGY, LINGER, SINGLE_PRODUCER, CHANNEL + "<name>" + CAPACITY, ACCEPT_JOURNAL_LOSS);

    static final Map<String, ThreadingMode> THREADING_NAMES = ThreadingMode.byConfigName();
    private static final Map<String, Supplier<WaitStrategy>> WAIT_NAMES = new LinkedHashMap<>();

    static {
        WAIT_NAMES.put("blocking", BlockingWaitStrategy::new);
        WAIT_NAMES.put("sleeping", SleepingWaitStrategy::new);
        WAIT_NAMES.put("yielding", YieldingWaitStrategy::new);
        WAIT_NAMES.put("busy-spin", BusySpinWaitStrategy::new);
    }

    private final String name;
    private final Integer ringSize;
    private final Duration flushInterval;
    private final Long flushBytes;
    private final Boolean flushSync;
    private final ThreadingMode threading;
    private final Supplier<WaitStrategy> waitStrategy;
    private final Duration linger;
    private final Boolean singleProducer;
    private final Map<String, Integer> channels = new LinkedHashMap<>();
    private final Boolean acceptJournalLoss;

    private EngineProperties(PropertyReader in) {
        name = in.string(NAME);
        ringSize = in.intIn(RING_SIZE, 2, 1 << 30);
        if (ringSize != null && Integer.bitCount(ringSize) != 1) {
            throw PropertyReader.bad(RING_SIZE, in.raw(RING_SIZE), "a power of two from 2 to " + (1 << 30));
        }
        flushInterval = in.duration(FLUSH_INTERVAL, ChronoUnit.MILLIS);
        flushBytes = in.bytes(FLUSH_BYTES);
        flushSync = in.bool(FLUSH_SYNC);
        threading = in.choice(THREADING, THREADING_NAMES);
        waitStrategy = in.choice(WAIT_STRATEGY, WAIT_NAMES);
        linger = in.durationOrZero(LINGER, ChronoUnit.MICROS);
        singleProducer = in.bool(SINGLE_PRODUCER);
        for (String channel : in.names(CHANNEL, CAPACITY)) {
            channels.put(channel, in.intIn(CHANNEL + channel + CAPACITY, 1, Integer.MAX_VALUE));
        }
        acceptJournalLoss = in.bool(ACCEPT_JOURNAL_LOSS);
        in.refuseUnknown(KEYS);
    }

    /** @throws IllegalArgumentException naming the first bad or unknown key; nothing is applied then */
    static EngineProperties read(Map<String, String> properties) {
        return new EngineProperties(new PropertyReader(properties, PREFIX));
    }

    void applyTo(EpochRingBuilder<?, ?, ?, ?> builder) {
        if (name != null) {
            builder.name(name);
        }
        if (ringSize != null) {
            builder.ringSize(ringSize);
        }
        if (flushInterval != null) {
            builder.flushInterval(flushInterval);
        }
        if (flushBytes != null) {
            builder.flushThresholdBytes(flushBytes);
        }
        if (flushSync != null) {
            builder.syncEveryFlush(flushSync);
        }
        if (threading != null) {
            builder.threadingMode(threading);
        }
        if (waitStrategy != null) {
            builder.waitStrategy(waitStrategy.get());
        }
        if (linger != null) {
            builder.linger(linger);
        }
        if (singleProducer != null) {
            builder.singleProducer(singleProducer);
        }
        channels.forEach(builder::channel);
        if (acceptJournalLoss != null) {
            builder.acceptJournalLoss(acceptJournalLoss);
        }
    }
}
