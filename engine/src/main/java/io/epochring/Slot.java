package io.epochring;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.EventTranslatorTwoArg;

import java.util.List;

/**
 * One preallocated ring slot: a command and what each stage adds to it as the slot passes.
 * Producers fill slots only through the {@code static final} translators below, so publishing
 * allocates nothing.
 */
final class Slot {

    static final byte WRITE = 0;
    static final byte FLUSH = 1;
    static final byte TICK = 2;
    static final byte PAUSE = 3;
    static final byte RESUME = 4;
    static final byte STOP = 5;

    // ---- set by the producer
    byte kind;
    Channel<?, ?> channel;
    Object write;
    WriteHandle<Object> handle;
    boolean sync;

    // ---- set by the stages
    /** Sequence: the write's epoch, 0 when it was held or cancelled instead. */
    long epoch;
    /** Sequence: the write went to its paused channel's hold queue (its permit stays taken). */
    boolean held;
    /** Apply (with a journal): the write's bytes and apply outcome for the journal stage; reused. */
    EncodedWrite encoded;
    /** Sequence (RESUME, STOP): writes let out of hold queues, in order. */
    List<HeldWrite> released;
    /** Apply: a freeze cut at this slot, for the publish stage to hand to the flush thread. */
    FrozenBatch cut;

    static final EventTranslatorThreeArg<Slot, Channel<?, ?>, Object, WriteHandle<?>> WRITE_TRANSLATOR =
        (slot, sequence, channel, write, handle) -> slot.fill(WRITE, channel, write, handle, false);

    static final EventTranslatorTwoArg<Slot, WriteHandle<?>, Boolean> FLUSH_TRANSLATOR =
        (slot, sequence, handle, sync) -> slot.fill(FLUSH, null, null, handle, sync);

    static final EventTranslatorOneArg<Slot, Byte> COMMAND_TRANSLATOR =
        (slot, sequence, kind) -> slot.fill(kind, null, null, null, false);

    static final EventTranslatorTwoArg<Slot, Byte, Channel<?, ?>> CHANNEL_COMMAND_TRANSLATOR =
        (slot, sequence, kind, channel) -> slot.fill(kind, channel, null, null, false);

    @SuppressWarnings("unchecked")
    private void fill(byte kind, Channel<?, ?> channel, Object write, WriteHandle<?> handle, boolean sync) {
        this.kind = kind;
        this.channel = channel;
        this.write = write;
        this.handle = (WriteHandle<Object>) handle;
        this.sync = sync;
        this.epoch = 0;
        this.held = false;
        this.released = null;
        this.cut = null;
    }

    /** Drops references once the last stage is done, so a slot keeps no write alive. */
    void clear() {
        channel = null;
        write = null;
        handle = null;
        released = null;
        cut = null;
    }
}
