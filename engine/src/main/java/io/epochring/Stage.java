package io.epochring;

/**
 * One step of the pipeline, run on a ring consumer thread. A stage never throws: errors belong to
 * the write they concern, or to the coordinator's error handler.
 */
interface Stage {

    /** Processes one slot. */
    void onSlot(Slot slot);

    /** The ring batch that ended with the last slot is done: time for batched work. */
    default void onBatchEnd() {
    }
}
