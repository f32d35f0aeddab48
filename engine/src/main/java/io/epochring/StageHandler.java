package io.epochring;

import com.lmax.disruptor.EventHandler;

/**
 * Runs stages on one ring consumer thread, in order, slot by slot: one stage per handler in
 * {@link ThreadingMode#THREAD_PER_STAGE}, the whole chain in {@link ThreadingMode#SINGLE_THREAD}.
 */
final class StageHandler implements EventHandler<Slot> {

    private final Stage[] stages;

    StageHandler(Stage... stages) {
        this.stages = stages.clone();
    }

    @Override
    public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
        for (Stage stage : stages) {
            stage.onSlot(slot);
        }
        if (endOfBatch) {
            for (Stage stage : stages) {
                stage.onBatchEnd();
            }
        }
    }
}
