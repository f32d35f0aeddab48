package io.epochring.micrometer;

import io.epochring.BackpressureException;
import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.WriteHandle;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel's fire-and-forget writes, with the latency of a sample of them from submit to each
 * durability level recorded in Micrometer {@link Timer}s named {@value #LATENCY}, tagged
 * {@code ring}, {@code channel} and {@code level}.
 *
 * <pre>{@code
 * SampledChannel<Put, Long> orders = SampledChannel.builder(ring, "orders").sampleEvery(1024).register(registry);
 * orders.tryPublish(put);   // as Channel.tryPublish; about one write in 1024 is timed
 * }</pre>
 *
 * <p>Design note (sampling): a fire-and-forget write has no handle, and the engine keeps no
 * per-write time, so its latency cannot be observed without adding to every write. Instead, about
 * one write in {@code sampleEvery} (drawn with {@link ThreadLocalRandom}: no shared counter for
 * producers to contend on) is submitted with a handle, and a callback on the handle's future for
 * each level records the time since submit. The other writes go through
 * {@link Channel#tryPublish} or {@link Channel#publish} unchanged: no handle, no allocation, one
 * random draw. Engine-side timestamps per epoch would cost every write a clock read and keep a time
 * per epoch from APPLIED until DURABLE (often hundreds of thousands of epochs), for every user,
 * whether they read the timers or not. A sample times the same path a write takes, including its
 * wait for channel space. At most {@code maxInFlight} samples wait at once (their callbacks hold
 * memory until DURABLE), so a stuck flusher stops sampling instead of piling up callbacks.
 *
 * <p>Callbacks run on the coordinator's threads (the apply stage for APPLIED, the flush thread for
 * WRITTEN and DURABLE), where recording to a timer is a few atomic updates. A sampled write that
 * fails (apply error, coordinator failure) is not timed.
 *
 * @param <W> the write type
 * @param <R> the apply result type
 */
public final class SampledChannel<W, R> {

    /** The timers' name. */
    public static final String LATENCY = "epochring.write.latency";

    private final Channel<W, R> channel;
    private final int sampleMask;
    private final int maxInFlight;
    private final Clock clock;
    private final Map<DurabilityLevel, Timer> timers = new EnumMap<>(DurabilityLevel.class);
    private final DurabilityLevel last;
    private final AtomicInteger inFlight = new AtomicInteger();

    private SampledChannel(Builder<W, R> builder, MeterRegistry registry) {
        this.channel = builder.ring.channel(builder.channel);
        this.sampleMask = builder.sampleEvery - 1;
        this.maxInFlight = builder.maxInFlight;
        this.clock = registry.config().clock();
        Tags tags = Tags.of(builder.tags).and("ring", builder.ring.name()).and("channel", builder.channel);
        DurabilityLevel highest = null;
        for (DurabilityLevel level : builder.levels) {
            Timer.Builder timer = Timer.builder(LATENCY)
                                       .description("Time from submitting a sampled write to its reaching the level")
                                       .tags(tags).tag("level", level.name().toLowerCase(java.util.Locale.ROOT));
            if (builder.histogram) {
                timer.publishPercentileHistogram();
            }
            timers.put(level, timer.register(registry));
            highest = level;
        }
        this.last = highest;
    }

    /**
     * @param ring    a coordinator, started or not
     * @param channel one of its channels
     * @return a builder for the channel's sampled writes
     */
    public static <W, R> Builder<W, R> builder(EpochRing<W, R, ?, ?> ring, String channel) {
        return new Builder<>(ring, channel);
    }

    /**
     * {@link Channel#tryPublish}: accepts the write if there is space. A sampled write is submitted
     * with {@link Channel#tryWrite} instead, and timed.
     *
     * @return false when the channel or ring is full
     */
    public boolean tryPublish(W write) {
        if (!sampleNext()) {
            return channel.tryPublish(write);
        }
        long start = clock.monotonicTime();
        WriteHandle<R> handle;
        try {
            handle = channel.tryWrite(write);
        } catch (BackpressureException full) {
            inFlight.decrementAndGet();
            return false;
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        time(handle, start);
        return true;
    }

    /**
     * {@link Channel#publish}: waits as long as it takes for space. A sampled write is submitted
     * with {@link Channel#write(Object)} instead, and timed from before that wait.
     */
    public void publish(W write) {
        if (!sampleNext()) {
            channel.publish(write);
            return;
        }
        long start = clock.monotonicTime();
        WriteHandle<R> handle;
        try {
            handle = channel.write(write);
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            throw e;
        }
        time(handle, start);
    }

    /**
     * Times a write submitted with a handle of its own (by {@link Channel#write}, say), unless
     * {@code maxInFlight} samples are waiting already.
     *
     * @param submitNanos when it was submitted, by the registry's clock ({@link Clock#monotonicTime()};
     *                    {@link System#nanoTime()} for the default clock)
     * @return whether it is timed
     */
    public boolean track(WriteHandle<?> handle, long submitNanos) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        time(handle, submitNanos);
        return true;
    }

    /** @return the channel written to */
    public Channel<W, R> channel() {
        return channel;
    }

    /** @return samples submitted whose highest level has not completed yet */
    public int inFlight() {
        return inFlight.get();
    }

    /** @return whether to time the next write; when true, one in-flight sample is taken */
    private boolean sampleNext() {
        if ((ThreadLocalRandom.current().nextInt() & sampleMask) != 0) {
            return false;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    private void time(WriteHandle<?> handle, long start) {
        for (Map.Entry<DurabilityLevel, Timer> level : timers.entrySet()) {
            Timer timer = level.getValue();
            boolean highest = level.getKey() == last;
            handle.future(level.getKey()).whenComplete((result, error) -> {
                if (error == null) {
                    timer.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
                }
                if (highest) {
                    inFlight.decrementAndGet();
                }
            });
        }
    }

    /** Configures a {@link SampledChannel}; {@link #register} checks every field. */
    public static final class Builder<W, R> {
        private final EpochRing<W, R, ?, ?> ring;
        private final String channel;
        private int sampleEvery = 1024;
        private int maxInFlight = 1024;
        private Set<DurabilityLevel> levels;
        private Iterable<Tag> tags = Tags.empty();
        private boolean histogram;

        private Builder(EpochRing<W, R, ?, ?> ring, String channel) {
            this.ring = Objects.requireNonNull(ring, "ring must not be null");
            this.channel = channel;
        }

        /** Times about one write in this many, a power of two (default 1024; 1 times every write). */
        public Builder<W, R> sampleEvery(int sampleEvery) {
            this.sampleEvery = sampleEvery;
            return this;
        }

        /** At most this many sampled writes wait for their levels at once (default 1024); past it, writes are not sampled. */
        public Builder<W, R> maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** The levels timed (default: every level the coordinator reports, {@link EpochRing#levels()}). */
        public Builder<W, R> levels(Set<DurabilityLevel> levels) {
            this.levels = levels;
            return this;
        }

        /** Tags added to every timer, besides {@code ring}, {@code channel} and {@code level}. */
        public Builder<W, R> tags(Iterable<Tag> tags) {
            this.tags = Objects.requireNonNull(tags, "tags must not be null (use Tags.empty())");
            return this;
        }

        /**
         * Publishes a percentile histogram with each timer (off by default: a MeterFilter can turn it on too),
         * for percentiles aggregated across instances in Prometheus.
         */
        public Builder<W, R> percentileHistogram(boolean histogram) {
            this.histogram = histogram;
            return this;
        }

        /**
         * Registers the timers.
         *
         * @throws IllegalArgumentException naming the bad field: an unknown channel, a sampling rate that is not a
         *                                  power of two, a level the coordinator does not report
         */
        public SampledChannel<W, R> register(MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry must not be null");
            ring.channel(channel); // names the configured channels when this is not one
            if (sampleEvery < 1 || Integer.bitCount(sampleEvery) != 1) {
                throw new IllegalArgumentException("sampleEvery must be a power of two >= 1, was " + sampleEvery);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
            }
            Set<DurabilityLevel> reported = ring.levels();
            if (levels == null) {
                levels = reported;
            }
            if (levels.isEmpty() || !reported.containsAll(levels)) {
                throw new IllegalArgumentException("levels must be some of " + reported + " (what " + ring + " reports), was " + levels);
            }
            levels = EnumSet.copyOf(levels);
            return new SampledChannel<>(this, registry);
        }
    }
}
