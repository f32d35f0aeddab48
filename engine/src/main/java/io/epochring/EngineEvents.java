package io.epochring;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The engine's JDK Flight Recorder events, all in the category "EpochRing". None is committed on
 * the path of an accepted write: flush, sync and checkpoint events are once per flush, recovery
 * once per start, failure once per coordinator, and backpressure at most once a second per
 * channel, from refused writes.
 *
 * <p>Zero cost when not recording: each site asks {@code isEnabled()} of the event type (a read of
 * its state) before it creates the event or computes a field, and a duration event started while
 * no recording wanted it is simply not recorded. Without the {@code jdk.jfr} module (a runtime
 * image linked without it) no event class is ever loaded: every site checks {@link #AVAILABLE}
 * first, a constant to the JIT.
 *
 * <pre>
 *  jfr print --events io.epochring.Flush,io.epochring.Backpressure recording.jfr
 *  jfr summary recording.jfr | grep io.epochring
 * </pre>
 */
final class EngineEvents {

    static final String CATEGORY = "EpochRing";
    /** Whether this runtime has JFR; without it the event classes (subclasses of jdk.jfr.Event) cannot load. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    private EngineEvents() {
    }

    /** @return a started flush event, or null when no recording wants one */
    static Flush flushStarted() {
        return AVAILABLE ? Flush.start() : null;
    }

    /** @return a started sync event, or null when no recording wants one */
    static Sync syncStarted() {
        return AVAILABLE ? Sync.start() : null;
    }

    /** @return a started checkpoint event, or null when no recording wants one */
    static Checkpoint checkpointStarted() {
        return AVAILABLE ? Checkpoint.start() : null;
    }

    /** @return a started recovery event, or null when no recording wants one */
    static Recovery recoveryStarted() {
        return AVAILABLE ? Recovery.start() : null;
    }

    /** Records the coordinator's first fault, when a recording wants it. */
    static void failed(String ring, CoordinatorFaultException fault) {
        if (AVAILABLE) {
            Failure.record(ring, fault);
        }
    }

    /** @return whether a recording wants backpressure events: a refused write counts itself only then */
    static boolean backpressureWanted() {
        return AVAILABLE && Backpressure.TYPE.isEnabled();
    }

    /** Records refusals of a channel's writes, when a recording wants them. */
    static void backpressure(String ring, String channel, int capacity, long refused, long queueDepth) {
        if (AVAILABLE) {
            Backpressure.record(ring, channel, capacity, refused, queueDepth);
        }
    }

    /** One frozen delta written to storage; its duration includes retries. */
    @Name("io.epochring.Flush")
    @Label("Flush")
    @Category(CATEGORY)
    @Description("A frozen delta written to storage by the flush thread; the duration includes retries")
    @StackTrace(false)
    static final class Flush extends Event {
        @Label("Ring")
        String ring;
        @Label("First Epoch")
        long firstEpoch;
        @Label("Last Epoch")
        long lastEpoch;
        @Label("Estimated Size")
        @Description("Delta.estimatedSizeBytes() when the delta was frozen")
        @DataAmount
        long bytes;
        @Label("Attempts")
        @Description("1 unless transient errors were retried")
        int attempts;

        /** Asked whether any recording wants this event; never committed. */
        private static final Flush TYPE = new Flush();

        /** @return a started event, or null when no recording wants one */
        static Flush start() {
            if (!TYPE.isEnabled()) {
                return null;
            }
            Flush event = new Flush();
            event.begin();
            return event;
        }

        void finish(String ring, EpochRange range, long bytes, int attempts) {
            end();
            if (shouldCommit()) {
                this.ring = ring;
                this.firstEpoch = range.first();
                this.lastEpoch = range.last();
                this.bytes = bytes;
                this.attempts = attempts;
                commit();
            }
        }
    }

    /** Storage synced; DURABLE may move next. */
    @Name("io.epochring.Sync")
    @Label("Sync")
    @Category(CATEGORY)
    @Description("Flusher.sync(): storage made every flushed delta durable; the duration includes retries")
    @StackTrace(false)
    static final class Sync extends Event {
        @Label("Ring")
        String ring;
        @Label("Synced Epoch")
        @Description("Every epoch up to this one was written to storage before the sync")
        long syncedEpoch;
        @Label("Attempts")
        int attempts;

        /** Asked whether any recording wants this event; never committed. */
        private static final Sync TYPE = new Sync();

        /** @return a started event, or null when no recording wants one */
        static Sync start() {
            if (!TYPE.isEnabled()) {
                return null;
            }
            Sync event = new Sync();
            event.begin();
            return event;
        }

        void finish(String ring, long syncedEpoch, int attempts) {
            end();
            if (shouldCommit()) {
                this.ring = ring;
                this.syncedEpoch = syncedEpoch;
                this.attempts = attempts;
                commit();
            }
        }
    }

    /** A journal checkpoint, recorded before DURABLE moves to its epoch. */
    @Name("io.epochring.Checkpoint")
    @Label("Checkpoint")
    @Category(CATEGORY)
    @Description("A journal checkpoint, recorded before DURABLE moves to its durable epoch")
    @StackTrace(false)
    static final class Checkpoint extends Event {
        @Label("Ring")
        String ring;
        @Label("Durable Epoch")
        long durableEpoch;
        @Label("Written Epoch")
        long writtenEpoch;

        /** Asked whether any recording wants this event; never committed. */
        private static final Checkpoint TYPE = new Checkpoint();

        /** @return a started event, or null when no recording wants one */
        static Checkpoint start() {
            if (!TYPE.isEnabled()) {
                return null;
            }
            Checkpoint event = new Checkpoint();
            event.begin();
            return event;
        }

        void finish(String ring, long durableEpoch, long writtenEpoch) {
            end();
            if (shouldCommit()) {
                this.ring = ring;
                this.durableEpoch = durableEpoch;
                this.writtenEpoch = writtenEpoch;
                commit();
            }
        }
    }

    /** What start() replayed from the journal, or why it failed. */
    @Name("io.epochring.Recovery")
    @Label("Recovery")
    @Category(CATEGORY)
    @Description("Recovery at start(): the journal replayed into the delta for the targets that lacked it")
    @StackTrace(false)
    static final class Recovery extends Event {
        @Label("Ring")
        String ring;
        @Label("Replayed")
        @Description("Write records replayed into the delta")
        long replayed;
        @Label("Rejected")
        @Description("Write records skipped because Delta.apply rejected them when they were written")
        long rejected;
        @Label("Last Epoch")
        @Description("The highest journaled epoch; new writes continue after it")
        long lastEpoch;
        @Label("Checkpoint Epoch")
        @Description("The durable epoch of the newest checkpoint")
        long checkpointEpoch;
        @Label("Storage Epoch")
        @Description("Where storage stood: reported by the flusher, or assumed at the checkpoint")
        long storageEpoch;
        @Label("Lost Writes")
        @Description("Journaled writes the journal had lost, recovered over because the loss was accepted")
        long lostWrites;
        @Label("Failure")
        @Description("Why start() failed, or null when recovery succeeded")
        String failure;

        /** Asked whether any recording wants this event; never committed. */
        private static final Recovery TYPE = new Recovery();

        /** @return a started event, or null when no recording wants one */
        static Recovery start() {
            if (!TYPE.isEnabled()) {
                return null;
            }
            Recovery event = new Recovery();
            event.begin();
            return event;
        }

        /** @param failure why recovery failed (then {@code report} is {@link RecoveryReport#NONE}), or null */
        void finish(String ring, RecoveryReport report, Throwable failure) {
            end();
            if (shouldCommit()) {
                this.ring = ring;
                this.replayed = report.replayed();
                this.rejected = report.rejected();
                this.lastEpoch = report.lastEpoch();
                this.checkpointEpoch = report.checkpoint().durableEpoch();
                this.storageEpoch = report.storage().epoch();
                this.lostWrites = report.loss().lostWrites();
                this.failure = failure == null ? null : failure.toString();
                commit();
            }
        }
    }

    /** The coordinator's first fault, which stopped it taking writes. */
    @Name("io.epochring.Failure")
    @Label("Coordinator Failure")
    @Category(CATEGORY)
    @Description("The coordinator's first fault: it refuses writes from now on; the stack trace is where the fault was latched")
    static final class Failure extends Event {
        @Label("Ring")
        String ring;
        @Label("Fault")
        @Description("The CoordinatorFaultException subclass, which names what failed")
        String fault;
        @Label("Message")
        String message;
        @Label("Cause")
        @Description("The original error, or null")
        String cause;
        @Label("First Epoch")
        @Description("The first epoch the failed operation concerned, 0 for none in particular")
        long firstEpoch;
        @Label("Last Epoch")
        long lastEpoch;

        static void record(String ring, CoordinatorFaultException fault) {
            Failure event = new Failure();
            if (event.shouldCommit()) {
                event.ring = ring;
                event.fault = fault.getClass().getName();
                event.message = fault.getMessage();
                event.cause = fault.getCause() == null ? null : fault.getCause().toString();
                event.firstEpoch = fault.range().isEmpty() ? 0 : fault.range().first();
                event.lastEpoch = fault.range().isEmpty() ? 0 : fault.range().last();
                event.commit();
            }
        }
    }

    /**
     * A channel (or the ring) refused writes because it was full. The first refusal is recorded at
     * once; after that at most one event a second per channel, counting the refusals since the
     * previous one, so a full channel does not flood the recording.
     */
    @Name("io.epochring.Backpressure")
    @Label("Backpressure")
    @Category(CATEGORY)
    @Description("Writes refused because a channel or the ring was full (tryPublish false, BackpressureException, WriteTimeoutException);"
                 + " at most one event a second per channel, counting the refusals since the previous one")
    static final class Backpressure extends Event {
        /** Asked on a refused write's path whether any recording wants this event; never committed. */
        private static final Backpressure TYPE = new Backpressure();

        @Label("Ring")
        String ring;
        @Label("Channel")
        String channel;
        @Label("Capacity")
        int capacity;
        @Label("Refused")
        @Description("Writes refused since the previous event of this channel, this one included")
        long refused;
        @Label("Queue Depth")
        @Description("Writes accepted and not yet applied when the event was recorded")
        long queueDepth;

        static void record(String ring, String channel, int capacity, long refused, long queueDepth) {
            Backpressure event = new Backpressure();
            if (event.shouldCommit()) {
                event.ring = ring;
                event.channel = channel;
                event.capacity = capacity;
                event.refused = refused;
                event.queueDepth = queueDepth;
                event.commit();
            }
        }
    }
}
