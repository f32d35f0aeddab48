package io.epochring.micrometer;

import io.epochring.Channel;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRing;
import io.epochring.SinkStatus;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.JournalStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Binds a started coordinator's statistics to a {@link MeterRegistry}: gauges and function
 * counters read {@link EpochRing#stats()}, {@link Channel#stats()}, {@link EpochRing#sinks()} and
 * {@link ChronicleJournal#stats()} when the registry is read (a scrape), so binding adds nothing to
 * the write path. Every meter is tagged {@code ring} (the coordinator's name) and with the tags
 * given to the builder.
 *
 * <pre>{@code
 * EpochRingMetrics.builder(ring).journal(journal).tags(Tags.of("service", "orders")).build().bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>extra tags</th><th>from</th></tr>
 *   <tr><td>epochring.watermark</td><td>gauge</td><td>level</td><td>the level's watermark (an epoch)</td></tr>
 *   <tr><td>epochring.flush</td><td>function timer</td><td></td><td>flushes completed and their total time</td></tr>
 *   <tr><td>epochring.flush.max</td><td>time gauge</td><td></td><td>the longest flush</td></tr>
 *   <tr><td>epochring.flush.failures</td><td>function counter</td><td></td><td>failed flush and sync attempts</td></tr>
 *   <tr><td>epochring.failed</td><td>gauge</td><td></td><td>1 once the coordinator failed, else 0</td></tr>
 *   <tr><td>epochring.writes</td><td>function counter</td><td>channel</td><td>writes accepted</td></tr>
 *   <tr><td>epochring.writes.applied</td><td>function counter</td><td>channel</td><td>writes applied (apply failures included)</td></tr>
 *   <tr><td>epochring.writes.rejected</td><td>function counter</td><td>channel</td><td>writes refused: channel or ring full, timed out</td></tr>
 *   <tr><td>epochring.writes.cancelled</td><td>function counter</td><td>channel</td><td>writes cancelled before they applied</td></tr>
 *   <tr><td>epochring.channel.depth, .depth.max, .capacity</td><td>gauges</td><td>channel</td><td>writes accepted and not applied</td></tr>
 *   <tr><td>epochring.sink.delivered.epoch</td><td>gauge</td><td>sink</td><td>every delta up to it delivered</td></tr>
 *   <tr><td>epochring.sink.calls, .deltas.delivered, .deltas.dropped, .overflow.failures</td><td>function counters</td><td>sink</td><td></td></tr>
 *   <tr><td>epochring.sink.queued, .failures.consecutive</td><td>gauges</td><td>sink</td><td></td></tr>
 *   <tr><td>epochring.sink.health</td><td>gauge</td><td>sink</td><td>0 healthy, 1 degraded, 2 unhealthy</td></tr>
 *   <tr><td>epochring.journal.appends, .commits, .syncs, .checkpoints, .checkpoint.syncs, .files.deleted</td><td>function counters</td><td></td><td>with {@link Builder#journal}</td></tr>
 *   <tr><td>epochring.journal.synced.epoch, .synced.checkpoint</td><td>gauges</td><td></td><td>with {@link Builder#journal}</td></tr>
 * </table>
 *
 * <p>Write latency per durability level is not here: it needs handles, which fire-and-forget
 * writes do not have; {@link SampledChannel} samples it.
 *
 * <p>Meters hold the coordinator, its channels and the journal weakly, as Micrometer does by
 * default: a coordinator that is dropped is not kept alive by its meters (they then read NaN).
 */
public final class EpochRingMetrics implements MeterBinder {

    private final EpochRing<?, ?, ?, ?> ring;
    private final ChronicleJournal journal;
    private final Tags tags;

    private EpochRingMetrics(Builder builder) {
        this.ring = builder.ring;
        this.journal = builder.journal;
        this.tags = Tags.of(builder.tags).and("ring", builder.ring.name());
    }

    /** @return a builder for the meters of {@code ring} */
    public static Builder builder(EpochRing<?, ?, ?, ?> ring) {
        return new Builder(ring);
    }

    /**
     * Registers the meters.
     *
     * @throws IllegalStateException when the coordinator is not started yet: its flush statistics
     *                               and sinks exist only once it is
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        List<SinkStatus> sinks;
        try {
            sinks = ring.sinks();
        } catch (IllegalStateException notStarted) {
            throw new IllegalStateException("bind EpochRingMetrics after " + ring + " has started (call start() first): its flush"
                                            + " statistics and sinks exist only then", notStarted);
        }
        bindCoordinator(registry);
        for (Channel<?, ?> channel : ring.channels()) {
            bindChannel(registry, channel);
        }
        for (int i = 0; i < sinks.size(); i++) {
            bindSink(registry, sinks.get(i).name(), i);
        }
        if (journal != null) {
            bindJournal(registry);
        }
    }

    private void bindCoordinator(MeterRegistry registry) {
        for (DurabilityLevel level : ring.levels()) {
            Gauge.builder("epochring.watermark", ring, r -> r.watermark(level))
                 .description("Every epoch up to this one has reached the level")
                 .tags(tags).tag("level", level.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        FunctionTimer.builder("epochring.flush", ring, r -> r.stats().flushCount(), r -> r.stats().totalFlushNanos(), TimeUnit.NANOSECONDS)
                     .description("Frozen deltas written to storage, and the time it took (retries included)")
                     .tags(tags).register(registry);
        TimeGauge.builder("epochring.flush.max", ring, TimeUnit.NANOSECONDS, r -> r.stats().maxFlushNanos())
                 .description("The longest flush so far").tags(tags).register(registry);
        FunctionCounter.builder("epochring.flush.failures", ring, r -> r.stats().flushFailures())
                       .description("Flush and sync attempts that failed, retried or not").tags(tags).register(registry);
        Gauge.builder("epochring.failed", ring, r -> r.failure().isPresent() ? 1 : 0)
             .description("1 once the coordinator failed and refuses writes (see its log or the io.epochring.Failure JFR event), else 0")
             .tags(tags).register(registry);
    }

    private void bindChannel(MeterRegistry registry, Channel<?, ?> channel) {
        Tags channelTags = tags.and("channel", channel.name());
        counter(registry, "epochring.writes", channel, c -> c.stats().submitted(), "Writes accepted into the channel", channelTags);
        counter(registry, "epochring.writes.applied", channel, c -> c.stats().applied(),
                "Writes applied to the delta, including those whose apply failed", channelTags);
        counter(registry, "epochring.writes.rejected", channel, c -> c.stats().rejected(),
                "Writes refused because the channel or the ring was full, or a timed write timed out", channelTags);
        counter(registry, "epochring.writes.cancelled", channel, c -> c.stats().cancelled(), "Writes cancelled before they were applied",
                channelTags);
        gauge(registry, "epochring.channel.depth", channel, c -> c.stats().queueDepth(), "Writes accepted and not yet applied", channelTags);
        gauge(registry, "epochring.channel.depth.max", channel, c -> c.stats().maxQueueDepth(), "The deepest the channel's queue has been",
              channelTags);
        gauge(registry, "epochring.channel.capacity", channel, Channel::capacity, "Writes the channel admits before it refuses more",
              channelTags);
    }

    private void bindSink(MeterRegistry registry, String name, int index) {
        Tags sinkTags = tags.and("sink", name);
        gauge(registry, "epochring.sink.delivered.epoch", ring, r -> sink(r, index).deliveredEpoch(),
              "Every delta up to this epoch was delivered (or given up on, for an optional sink)", sinkTags);
        counter(registry, "epochring.sink.calls", ring, r -> sink(r, index).calls(), "Successful Sink.accept calls", sinkTags);
        counter(registry, "epochring.sink.deltas.delivered", ring, r -> sink(r, index).deltasDelivered(),
                "Frozen deltas delivered (several per call when coalesced)", sinkTags);
        counter(registry, "epochring.sink.deltas.dropped", ring, r -> sink(r, index).deltasDropped(),
                "Frozen deltas dropped by DROP_OLDEST or given up on after retries", sinkTags);
        counter(registry, "epochring.sink.overflow.failures", ring, r -> sink(r, index).overflowFailures(),
                "Frozen deltas refused by the FAIL overflow policy", sinkTags);
        gauge(registry, "epochring.sink.queued", ring, r -> sink(r, index).queued(), "Frozen deltas waiting for the sink", sinkTags);
        gauge(registry, "epochring.sink.failures.consecutive", ring, r -> sink(r, index).consecutiveFailures(),
              "Failed deliveries since the last success", sinkTags);
        gauge(registry, "epochring.sink.health", ring, r -> sink(r, index).health().ordinal(), "0 healthy, 1 degraded, 2 unhealthy",
              sinkTags);
    }

    private void bindJournal(MeterRegistry registry) {
        counter(registry, "epochring.journal.appends", journal, j -> j.stats().appends(), "Write records appended, rejected writes included",
                tags);
        counter(registry, "epochring.journal.commits", journal, j -> j.stats().commits(), "Ring batches committed", tags);
        counter(registry, "epochring.journal.syncs", journal, j -> j.stats().syncs(), "msyncs of write records, per the sync policy", tags);
        counter(registry, "epochring.journal.checkpoints", journal, j -> j.stats().checkpoints(), "Checkpoint records appended", tags);
        counter(registry, "epochring.journal.checkpoint.syncs", journal, j -> j.stats().checkpointSyncs(),
                "Checkpoint records synced before the checkpoint returned", tags);
        counter(registry, "epochring.journal.files.deleted", journal, j -> j.stats().filesDeleted(), "Journal files deleted by retention",
                tags);
        gauge(registry, "epochring.journal.synced.epoch", journal, j -> j.stats().syncedEpoch(),
              "The newest write epoch covered by an msync, 0 when none", tags);
        gauge(registry, "epochring.journal.synced.checkpoint", journal, j -> j.stats().syncedCheckpoint(),
              "The durable epoch of the newest synced checkpoint, 0 when none", tags);
    }

    private static SinkStatus sink(EpochRing<?, ?, ?, ?> ring, int index) {
        return ring.sinks().get(index);
    }

    private static <T> void counter(MeterRegistry registry, String name, T state, ToDoubleFunction<T> count, String description, Tags tags) {
        FunctionCounter.builder(name, state, count).description(description).tags(tags).register(registry);
    }

    private static <T> void gauge(MeterRegistry registry, String name, T state, ToDoubleFunction<T> value, String description, Tags tags) {
        Gauge.builder(name, state, value).description(description).tags(tags).register(registry);
    }

    /** Chooses what to bind besides the coordinator, its channels and its sinks. */
    public static final class Builder {
        private final EpochRing<?, ?, ?, ?> ring;
        private ChronicleJournal journal;
        private Iterable<Tag> tags = Tags.empty();

        private Builder(EpochRing<?, ?, ?, ?> ring) {
            this.ring = Objects.requireNonNull(ring, "ring must not be null");
        }

        /** Also binds the journal's counters ({@link JournalStats}): pass the journal given to the coordinator's builder. */
        public Builder journal(ChronicleJournal journal) {
            this.journal = journal;
            return this;
        }

        /** Tags added to every meter, besides {@code ring}. */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Objects.requireNonNull(tags, "tags must not be null (use Tags.empty())");
            return this;
        }

        public EpochRingMetrics build() {
            return new EpochRingMetrics(this);
        }
    }
}
