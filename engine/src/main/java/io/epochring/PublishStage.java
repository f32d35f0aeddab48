package io.epochring;

import java.util.concurrent.BlockingQueue;

/**
 * Stage 4: hands each frozen batch to the flush thread over a bounded queue. When the flush
 * thread is two batches behind, this stage waits, the ring fills, and producers feel the
 * backpressure. Also the last stage to touch a slot, so it drops the slot's references.
 */
final class PublishStage implements Stage {

    private final BlockingQueue<FrozenBatch> handoff;

    PublishStage(BlockingQueue<FrozenBatch> handoff) {
        this.handoff = handoff;
    }

    @Override
    public void onSlot(Slot slot) {
        FrozenBatch batch = slot.cut;
        slot.clear();
        if (batch != null) {
            Uninterruptibles.put(handoff, batch);
        }
    }
}
