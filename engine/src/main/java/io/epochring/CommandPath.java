package io.epochring;

/**
 * How control commands (flush, tick, pause, resume, stop) reach the ring's consumer, at their
 * place among the writes: in a ring slot of their own ({@link SlotCommands}, when many threads
 * produce), or through a queue beside the ring ({@link CommandInbox}, when one thread produces and
 * so no other thread may claim a slot).
 */
interface CommandPath {

    /** @return false when there is no room now (the caller waits and tries again, or gives up) */
    boolean tryFlush(WriteHandle<EpochRange> handle, boolean sync);

    /**
     * @param kind    {@link Slot#TICK}, {@link Slot#STOP}, {@link Slot#PAUSE} or {@link Slot#RESUME}
     * @param channel the channel paused or resumed; null for the others
     * @return false when there is no room now
     */
    boolean tryCommand(byte kind, Channel<?, ?> channel);
}
