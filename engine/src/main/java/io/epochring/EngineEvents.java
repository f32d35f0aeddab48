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
 * the path of a write: flush, sync and checkpoint events are once per flush, recovery once per
 * start, failure once per coordinator, and backpressure at most once a second per channel.
 *
 * <p>Zero cost when not recording: each site creates its event, which the JIT removes when it does
 * not escape, and fills in fields only after {@code shouldCommit()} says a recording wants it.
 * Backpressure, on a producer's path, first checks {@link Backpressure#ENABLED}'s
 * {@code isEnabled()}, a read of the event type's state, and does nothing else when it is false.
 *
 * <pre>
 *  jfr print --events io.epochring.Flush,io.epochring.Backpressure recording.jfr
 *  jfr summary recording.jfr | grep io.epochring
 * </pre>
 */
final class EngineEvents {

    static final String CATEGORY = "EpochRing";

    private EngineEvents() {
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
        /** Asked on the producer's path whether any recording wants this event; never committed. */
        static final Backpressure ENABLED = new Backpressure();

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
    }
}
