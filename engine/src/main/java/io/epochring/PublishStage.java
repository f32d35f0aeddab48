package io.epochring;

import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;

/**
 * Stage 4: hands each frozen batch to the flush thread over a bounded queue, at the end of the
 * ring batch it was cut in, so the journal has committed every write in it first: storage never
 * holds a write the journal could lose. When the flush thread is two batches behind, this stage
 * waits, the ring fills, and producers feel the backpressure. Also the last stage to touch a slot,
 * so it drops the slot's references. After the coordinator failed, nothing more is handed over.
 */
final class PublishStage implements Stage {

    private final BlockingQueue<FrozenBatch> handoff;
    private final Conductor<?, ?, ?, ?> ring;
    private final ArrayDeque<FrozenBatch> cut = new ArrayDeque<>(4);

    PublishStage(BlockingQueue<FrozenBatch> handoff, Conductor<?, ?, ?, ?> ring) {
        this.handoff = handoff;
        this.ring = ring;
    }

    @Override
    public void onSlot(Slot slot) {
        FrozenBatch batch = slot.cut;
        slot.clear();
        if (batch != null) {
            cut.add(batch);
        }
    }

    @Override
    public void onBatchEnd() {
        for (FrozenBatch batch; (batch = cut.poll()) != null; ) {
            if (ring.failureCause() == null) {
                Uninterruptibles.put(handoff, batch);
            }
        }
    }
}
