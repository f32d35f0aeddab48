package io.epochring;

import com.lmax.disruptor.EventHandler;

/**
 * Runs stages on one ring consumer thread, in pipeline order, slot by slot: one stage per handler
 * in {@link ThreadingMode#THREAD_PER_STAGE}, the whole chain in {@link ThreadingMode#SINGLE_THREAD}.
 *
 * <p>Design note: each stage sits in a field of its own concrete type and is called from its own
 * call site, so the JIT can inline every stage into the loop; a {@code Stage[]} loop would be one
 * megamorphic call site, which profiling showed as the single consumer thread's largest cost.
 */
final class StageHandler implements EventHandler<Slot> {

    private final SequenceStage sequence;
    private final ApplyStage<?, ?, ?> apply;
    private final JournalStage journal;
    private final PublishStage publish;

    /** Any stage may be null: it then runs on another handler's thread. */
    StageHandler(SequenceStage sequence, ApplyStage<?, ?, ?> apply, JournalStage journal, PublishStage publish) {
        this.sequence = sequence;
        this.apply = apply;
        this.journal = journal;
        this.publish = publish;
    }

    @Override
    public void onEvent(Slot slot, long sequenceNumber, boolean endOfBatch) {
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
