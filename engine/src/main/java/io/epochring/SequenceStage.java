package io.epochring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage 1: gives each write the next epoch, unless its channel is paused (the write is held, in
 * order, until resume) or it was cancelled while queued (it is skipped and never gets an epoch).
 * Epochs are therefore contiguous over the writes that apply.
 */
final class SequenceStage implements Stage {

    private final boolean[] paused;
    private final List<ArrayDeque<HeldWrite>> holds;
    private long lastEpoch;

    SequenceStage(int channels, long lastEpoch) {
        this.paused = new boolean[channels];
        this.holds = new ArrayList<>(channels);
        for (int i = 0; i < channels; i++) {
            holds.add(new ArrayDeque<>());
        }
        this.lastEpoch = lastEpoch;
    }

    @Override
    public void onSlot(Slot slot) {
        switch (slot.kind) {
            case Slot.WRITE:
                sequenceWrite(slot);
                break;
            case Slot.FLUSH:
                slot.handle.epoch(lastEpoch);
                break;
            case Slot.PAUSE:
                paused[slot.channel.id()] = true;
                break;
            case Slot.RESUME:
                paused[slot.channel.id()] = false;
                slot.released = release(holds.get(slot.channel.id()), true);
                break;
            case Slot.STOP:
                slot.released = releaseAllForShutdown();
                break;
            default:
                break;
        }
    }

    private void sequenceWrite(Slot slot) {
        int channel = slot.channel.id();
        if (paused[channel]) {
            holds.get(channel).add(new HeldWrite(slot.channel, slot.write, slot.handle));
            slot.held = true;
            return;
        }
        if (slot.handle != null && !slot.handle.trySequence()) {
            return;
        }
        slot.epoch = ++lastEpoch;
        if (slot.handle != null) {
            slot.handle.epoch(slot.epoch);
        }
    }

    private List<HeldWrite> release(ArrayDeque<HeldWrite> hold, boolean sequence) {
        List<HeldWrite> released = new ArrayList<>(hold.size());
        for (HeldWrite write; (write = hold.poll()) != null; ) {
            if (sequence && (write.handle == null || write.handle.trySequence())) {
                write.epoch = ++lastEpoch;
                if (write.handle != null) {
                    write.handle.epoch(write.epoch);
                }
            }
            released.add(write);
        }
        return released;
    }

    /** At stop, held writes are not applied: they fail with a shutdown error instead. */
    private List<HeldWrite> releaseAllForShutdown() {
        List<HeldWrite> released = new ArrayList<>();
        for (int i = 0; i < paused.length; i++) {
            paused[i] = false;
            released.addAll(release(holds.get(i), false));
        }
        return released;
    }
}
