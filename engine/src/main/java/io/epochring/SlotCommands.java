package io.epochring;

import com.lmax.disruptor.RingBuffer;

/**
 * Commands in ring slots of their own, claimed like writes: with many producers, a command's
 * place in the ring is its place among the writes. A full ring has no room for a command either.
 */
final class SlotCommands implements CommandPath {

    private final RingBuffer<Slot> ring;

    SlotCommands(RingBuffer<Slot> ring) {
        this.ring = ring;
    }

    @Override
    public boolean tryFlush(WriteHandle<EpochRange> handle, boolean sync) {
        return ring.tryPublishEvent(Slot.FLUSH_TRANSLATOR, handle, sync);
    }

    @Override
    public boolean tryCommand(byte kind, Channel<?, ?> channel) {
        return channel == null ? ring.tryPublishEvent(Slot.COMMAND_TRANSLATOR, kind)
                               : ring.tryPublishEvent(Slot.CHANNEL_COMMAND_TRANSLATOR, kind, channel);
    }
}
