package io.epochring;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.NanoClock;

import java.util.Locale;

/**
 * Stage 2: applies each sequenced write to the live delta, releases its handle at APPLIED, and
 * cuts a freeze when a flush is due (an explicit flush, the size threshold, or the timer). The
 * freeze is the delta's O(1) swap; the view moves to the new live delta at once, so every APPLIED
 * write is visible through the current view.
 *
 * <p>With a journal, each write is encoded before it is applied (a write the codec cannot encode,
 * or whose encoding is longer than the journal can record, is not applied, and is journaled as
 * rejected) and the apply's outcome is left for the journal stage, which records a rejected write
 * as rejected: replay then skips exactly the writes apply rejected.
 */
final class ApplyStage<W, R, F> implements Stage {

    private final Delta<W, R, F> delta;
    private final Watermark applied;
    private final ViewPublisher<F, ?> views;
    private final ErrorHandler errorHandler;
    private final NanoClock clock;
    private final long flushIntervalNanos;
    private final long flushThresholdBytes;
    private final boolean syncEveryFlush;
    private final FlushTimer timer;
    private final Conductor<?, ?, ?, ?> ring;
    private final WriteCodec<W> codec;
    /** The journal's {@link Journal#maxPayloadLength()}: a longer encoding could not be journaled. */
    private final int maxPayloadLength;

    private long lastApplied;
    private long lastCut;

    ApplyStage(Delta<W, R, F> delta, Watermark applied, ViewPublisher<F, ?> views, ErrorHandler errorHandler,
               NanoClock clock, long flushIntervalNanos, long flushThresholdBytes, boolean syncEveryFlush,
               FlushTimer timer, Conductor<?, ?, ?, ?> ring, WriteCodec<W> codec, int maxPayloadLength,
               long lastApplied, long lastCut) {
        this.delta = delta;
        this.applied = applied;
        this.views = views;
        this.errorHandler = errorHandler;
        this.clock = clock;
        this.flushIntervalNanos = flushIntervalNanos;
        this.flushThresholdBytes = flushThresholdBytes;
        this.syncEveryFlush = syncEveryFlush;
        this.timer = timer;
        this.ring = ring;
        this.codec = codec;
        this.maxPayloadLength = maxPayloadLength;
        this.lastApplied = lastApplied;
        this.lastCut = lastCut;
        timer.scheduleAfter(clock.nanoTime(), flushIntervalNanos, lastCut);
    }

    @Override
    public void onSlot(Slot slot) {
        switch (slot.kind) {
            case Slot.WRITE:
                if (slot.epoch > 0) {
                    if (codec != null && slot.encoded == null) {
                        slot.encoded = new EncodedWrite(); // once per slot: reused on every later lap
                    }
                    applyOne(slot.channel, slot.write, slot.handle, slot.epoch, slot.encoded);
                    cutIfFull(slot);
                } else if (!slot.held) {
                    slot.channel.onDropped();
                }
                break;
            case Slot.RESUME:
                for (HeldWrite write : slot.released) {
                    if (write.epoch > 0) {
                        write.encoded = codec == null ? null : new EncodedWrite();
                        applyOne(write.channel, write.write, write.handle, write.epoch, write.encoded);
                    } else {
                        write.channel.onDropped();
                    }
                }
                cutIfFull(slot);
                break;
            case Slot.STOP:
                for (HeldWrite write : slot.released) {
                    if (write.handle != null) {
                        write.handle.fail(new ShutdownException("the coordinator stopped while channel '" + write.channel.name()
                                                                + "' was paused: this held write was not applied", write.write));
                    }
                    write.channel.onDropped();
                }
                break;
            case Slot.FLUSH:
                EpochRange range = cut(slot, slot.sync);
                CoordinatorFaultException fault = ring.failureCause();
                if (fault == null) {
                    slot.handle.complete(range);
                } else {
                    // Queued before the fault, or its own freeze failed: nothing was cut, so the flush
                    // must not look done at any level.
                    slot.handle.fail(new CoordinatorFailedException(fault, null));
                }
                break;
            case Slot.TICK:
                timer.tickDone();
                if (clock.nanoTime() >= timer.dueNanos()) {
                    cut(slot, false);
                }
                break;
            default:
                break;
        }
    }

    @Override
    public void onBatchEnd() {
        applied.publish();
    }

    /** @param encoded where the journal stage finds the write's bytes and outcome; null without a journal */
    @SuppressWarnings("unchecked")
    private void applyOne(Channel<?, ?> channel, Object write, WriteHandle<Object> handle, long epoch, EncodedWrite encoded) {
        CoordinatorFaultException failure = ring.failureCause();
        if (failure != null) {
            // Fail-stop: after the first fault nothing more is applied or journaled; the write is refused.
            if (encoded != null) {
                encoded.outcome = EncodedWrite.REFUSED;
            }
            channel.onApplied();
            if (handle != null) {
                // A fire-and-forget write is not reported one by one: the fault was, once.
                handle.fail(new CoordinatorFailedException(failure, write));
            }
            return;
        }
        R result = null;
        EpochRingException error = encoded == null ? null : encode(channel, (W) write, epoch, encoded);
        if (error == null) {
            try {
                result = delta.apply(epoch, (W) write);
            } catch (Exception e) {
                error = new ApplyException(epoch, e);
                if (encoded != null) {
                    encoded.outcome = EncodedWrite.REJECTED;
                }
            } catch (Error e) {
                // Not a rejection: the delta may be half-changed and the JVM in trouble. Stop everything.
                if (encoded != null) {
                    encoded.outcome = EncodedWrite.REFUSED;
                }
                channel.onApplied();
                DeltaFailedException fault = new DeltaFailedException(new EpochRange(epoch, epoch),
                                                                      "Delta.apply threw an Error, so the delta cannot be trusted", e);
                ring.fail(fault);
                deliver(handle, fault);
                return;
            }
        }
        // Watermark and counters move before the handle is released, so a caller returning from
        // await(APPLIED) always sees them covering its write.
        lastApplied = epoch;
        applied.lazyAdvance(epoch);
        channel.onApplied();
        if (error != null) {
            deliver(handle, error);
        } else if (handle != null) {
            handle.complete(result);
        }
    }

    private EpochRingException encode(Channel<?, ?> channel, W write, long epoch, EncodedWrite encoded) {
        int length;
        try {
            length = codec.encode(write, encoded.buffer, 0);
        } catch (RuntimeException e) {
            encoded.outcome = EncodedWrite.NOT_ENCODED;
            return new EpochRingException("write at epoch " + epoch + " on channel '" + channel.name()
                                          + "' could not be encoded for the journal (" + e + "): it was not applied (the journal records it as rejected);"
                                          + " fix the codec or the write", e);
        }
        if (length > maxPayloadLength) {
            // Bad input, not a journal failure: refused before the journal sees it, so the coordinator goes on.
            encoded.outcome = EncodedWrite.NOT_ENCODED;
            encoded.dropBuffer();
            IllegalArgumentException tooLong = new IllegalArgumentException(
                "the write encodes to " + String.format(Locale.ROOT, "%,d", length) + " bytes; the journal records at most "
                + String.format(Locale.ROOT, "%,d", maxPayloadLength) + " bytes per write");
            return new EpochRingException("write at epoch " + epoch + " on channel '" + channel.name() + "' is too large: "
                                          + tooLong.getMessage() + ". It was not applied (the journal records it as rejected);"
                                          + " make the write smaller, e.g. split a large value over several keys", tooLong);
        }
        encoded.length = length;
        encoded.outcome = EncodedWrite.APPLIED;
        return null;
    }

    private void deliver(WriteHandle<Object> handle, EpochRingException error) {
        if (handle != null) {
            handle.fail(error);
        } else {
            errorHandler.onError(error);
        }
    }

    private void cutIfFull(Slot slot) {
        if (delta.estimatedSizeBytes() >= flushThresholdBytes) {
            cut(slot, false);
        }
    }

    /**
     * Freezes everything applied since the last cut and leaves the batch on the slot for the
     * publish stage. With nothing new, only a requested sync is passed on.
     *
     * @return the epochs frozen (empty when there was nothing new)
     */
    private EpochRange cut(Slot slot, boolean syncRequested) {
        boolean sync = syncRequested || syncEveryFlush;
        EpochRange range = EpochRange.emptyAfter(lastApplied);
        if (ring.failureCause() != null) {
            return range;
        }
        if (lastApplied > lastCut) {
            range = new EpochRange(lastCut + 1, lastApplied);
            long bytes = delta.estimatedSizeBytes();
            F frozen;
            F live;
            try {
                frozen = delta.freeze();
                live = delta.view();
            } catch (RuntimeException | Error e) {
                // Without a freeze nothing can be flushed again: fail loudly, once, rather than on every tick.
                ring.fail(new DeltaFailedException(range, "Delta.freeze() or Delta.view() threw, so no delta can be flushed", e));
                return range;
            }
            views.onFreeze(frozen, live);
            slot.cut = new FrozenBatch(frozen, range, sync, bytes);
            lastCut = lastApplied;
        } else if (syncRequested) {
            slot.cut = new FrozenBatch(null, range, true, 0);
        }
        timer.scheduleAfter(clock.nanoTime(), flushIntervalNanos, lastCut);
        return range;
    }
}
