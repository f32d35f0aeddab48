package io.epochring;

import com.lmax.disruptor.EventHandler;

/**
 * Runs stages on one ring consumer thread, in pipeline order, slot by slot: one stage per handler
 * in {@link ThreadingMode#THREAD_PER_STAGE}, the whole chain in {@link ThreadingMode#SINGLE_THREAD}.
 *
 * <p>Design note: each stage sits in a field of its own concrete type and is called from its own
 * call site, so the JIT can inline every stage into the loop; a {@code Stage[]} loop would be one
 * megamorphic call site, which profiling showed as the single consumer thread's largest cost.
 *
 * <p>In a single-producer ring the handler also runs the commands of its {@link CommandInbox}, each
 * through the stages as if it had a slot, just before the first slot past its stamp: taken at the
 * start and end of each batch and when the ring would otherwise wait ({@link #onTimeout}).
 */
final class StageHandler implements EventHandler<Slot> {

    private final SequenceStage sequence;
    private final ApplyStage<?, ?, ?> apply;
    private final JournalStage journal;
    private final PublishStage publish;
    /** Null unless the ring has a single producer (then this handler runs every stage). */
    private final CommandInbox inbox;
    /** Null unless the ring lingers and this handler runs the first stage: told of each batch start, handle taken and waiting flush. */
    private final LingeringWaitStrategy linger;

    /** Any stage may be null: it then runs on another handler's thread. */
    StageHandler(SequenceStage sequence, ApplyStage<?, ?, ?> apply, JournalStage journal, PublishStage publish) {
        this(sequence, apply, journal, publish, null, null);
    }

    StageHandler(SequenceStage sequence, ApplyStage<?, ?, ?> apply, JournalStage journal, PublishStage publish, CommandInbox inbox,
                 LingeringWaitStrategy linger) {
        this.sequence = sequence;
        this.apply = apply;
        this.journal = journal;
        this.publish = publish;
        this.inbox = inbox;
        this.linger = linger;
    }

    @Override
    public void onBatchStart(long batchSize, long queueDepth) {
        if (linger != null) {
            linger.batchStarted();
        }
        if (inbox != null) {
            inbox.take(); // a command queued before this batch's writes were published must run before them
        }
    }

    @Override
    public void onEvent(Slot slot, long sequenceNumber, boolean endOfBatch) {
        if (inbox != null && inbox.dueBefore(sequenceNumber)) {
            inbox.runDue(sequenceNumber - 1, this);
        }
        process(slot, endOfBatch);
        if (inbox != null && endOfBatch) {
            // Commands queued during the batch come after all of its slots, which were published before it began.
            runDueCommands(sequenceNumber);
        }
    }

    /** The ring is idle and a command was queued: run those that follow only processed slots. */
    @Override
    public void onTimeout(long sequence) {
        if (inbox != null) {
            runDueCommands(sequence);
        }
    }

    private void runDueCommands(long processed) {
        inbox.take();
        inbox.runDue(processed, this);
        if (linger != null && inbox.handleWaiting()) {
            // A flush waits for slots already published: its caller may be waiting on it, as on a write's handle.
            linger.handleTaken();
        }
    }

    /** Runs a command from the inbox through the stages, as a slot that ends a batch. */
    void runCommand(Slot command) {
        process(command, true);
    }

    private void process(Slot slot, boolean endOfBatch) {
        if (linger != null && slot.handle != null) {
            linger.handleTaken(); // someone may be waiting on this one: the ring thread must not linger after it
        }
        if (sequence != null) {
            sequence.onSlot(slot);
        }
        if (apply != null) {
            apply.onSlot(slot);
        }
        if (journal != null) {
            journal.onSlot(slot);
        }
        if (publish != null) {
            publish.onSlot(slot);
        }
        if (endOfBatch) {
            if (apply != null) {
                apply.onBatchEnd();
            }
            if (journal != null) {
                journal.onBatchEnd();
            }
            if (publish != null) {
                publish.onBatchEnd();
            }
        }
    }
}
