package io.epochring;

import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

import java.util.concurrent.BlockingQueue;

/**
 * The ring, built (every slot preallocated, no thread started) while recovery replays the journal.
 * The slots depend on the configuration only, not on anything recovery finds, so with a journal to
 * replay they are allocated on a thread of their own ({@code epochring-<name>-ring-allocation}) and
 * the starting thread picks the ring up once it has replayed; without one there is nothing to
 * overlap and the starting thread allocates them itself.
 *
 * <p>Design note: with tens of thousands of slots, allocating them is a few milliseconds in a warm
 * JVM and more in a freshly started one (the allocating loop still interpreted), all of it on the
 * path of a restart; replaying a large journal takes far longer, on one core. The allocating thread
 * ends as soon as the ring is built and {@link #await} joins it, so it is gone before
 * {@code start()} returns.
 */
final class RingAllocation {

    /**
     * A built ring; with a single producer also the command queue beside it and the wait strategy
     * that watches that queue (see {@link CommandInbox}), else those are null.
     */
    record Ring(Disruptor<Slot> disruptor, BlockingQueue<CommandInbox.Queued> inbox, InboxWaitStrategy inboxWait) {
    }

    private final EngineConfig<?, ?, ?, ?> config;
    private final NamedThreadFactory threads;
    private final Thread allocating;
    /** Written by the allocating thread before it ends, read after joining it. */
    private Ring ring;
    private Throwable failure;

    private RingAllocation(EngineConfig<?, ?, ?, ?> config, NamedThreadFactory threads, boolean inBackground) {
        this.config = config;
        this.threads = threads;
        if (inBackground) {
            threads.nextNames("ring-allocation");
            allocating = threads.newThread(this::allocate);
            allocating.start();
        } else {
            allocating = null;
        }
    }

    /** Starts building the ring: on a thread of its own when {@code inBackground}, else at {@link #await}. */
    static RingAllocation begin(EngineConfig<?, ?, ?, ?> config, NamedThreadFactory threads, boolean inBackground) {
        return new RingAllocation(config, threads, inBackground);
    }

    /**
     * @return the built ring, once it is; waits through interrupts (the interrupt is kept), as the
     *         allocation never waits on anything
     * @throws RuntimeException or Error: what building the ring threw (an {@link OutOfMemoryError}, say)
     */
    Ring await() {
        if (allocating == null) {
            allocate();
        } else {
            Uninterruptibles.join(allocating);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return ring;
    }

    private void allocate() {
        try {
            ring = build();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    private Ring build() {
        // The threads come from the coordinator's factory when the ring starts, after recovery.
        if (config.singleProducer) {
            // One thread claims slots, without atomics; commands from any thread take the inbox beside the ring.
            BlockingQueue<CommandInbox.Queued> queue = CommandInbox.newQueue();
            InboxWaitStrategy wait = new InboxWaitStrategy(config.waitStrategy, queue);
            return new Ring(new Disruptor<>(Slot::new, config.ringSize, threads, ProducerType.SINGLE, wait), queue, wait);
        }
        return new Ring(new Disruptor<>(Slot::new, config.ringSize, threads, ProducerType.MULTI, config.waitStrategy), null, null);
    }
}
