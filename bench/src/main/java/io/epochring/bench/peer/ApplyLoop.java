package io.epochring.bench.peer;

import io.epochring.ApplyException;
import io.epochring.Delta;
import io.epochring.EpochRange;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The peer's apply thread: takes commands off the shared queue in batches ({@code drainTo}),
 * gives each write the next epoch, applies it, completes its future, and at the end of each batch
 * gives permits back and advances APPLIED. Cuts a freeze on an explicit flush, when the flush
 * interval has passed, or when the delta's size crosses the threshold, and hands it to the flush
 * thread over a bounded queue of two.
 */
final class ApplyLoop<W, R, F> implements Runnable {

    static final int MAX_BATCH = 1024;
    private static final long STOPPING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BlockingQueue<Command> queue;
    private final List<PeerChannel<W, R>> channels;
    private final Delta<W, R, F> delta;
    private final PeerWatermark applied;
    private final BlockingQueue<FrozenDelta> handoff;
    private final Consumer<Throwable> errorHandler;
    private final long flushIntervalNanos;
    private final long flushThresholdBytes;
    private final boolean syncEveryFlush;
    private final List<Command> batch = new ArrayList<>(MAX_BATCH);

    private long lastEpoch;
    private long lastCut;
    private long nextFlushNanos;
    private boolean stopping;

    ApplyLoop(BlockingQueue<Command> queue, List<PeerChannel<W, R>> channels, Delta<W, R, F> delta, PeerWatermark applied,
              BlockingQueue<FrozenDelta> handoff, Consumer<Throwable> errorHandler, long flushIntervalNanos,
              long flushThresholdBytes, boolean syncEveryFlush) {
        this.queue = queue;
        this.channels = List.copyOf(channels);
        this.delta = delta;
        this.applied = applied;
        this.handoff = handoff;
        this.errorHandler = errorHandler;
        this.flushIntervalNanos = flushIntervalNanos;
        this.flushThresholdBytes = flushThresholdBytes;
        this.syncEveryFlush = syncEveryFlush;
    }

    @Override
    public void run() {
        nextFlushNanos = System.nanoTime() + flushIntervalNanos;
        while (!stopping || !allChannelsDrained()) {
            if (takeBatch()) {
                for (Command command : batch) {
                    execute(command);
                }
                batch.clear();
                endBatch();
            }
            if (System.nanoTime() - nextFlushNanos >= 0 || delta.estimatedSizeBytes() >= flushThresholdBytes) {
                cut(false);
            }
        }
        cut(true);
        put(FrozenDelta.STOP);
    }

    /** @return false when the queue stayed empty until the next flush is due */
    private boolean takeBatch() {
        long waitNanos = stopping ? STOPPING_POLL_NANOS : Math.max(0, nextFlushNanos - System.nanoTime());
        Command first;
        try {
            first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            return false;
        }
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        return true;
    }

    @SuppressWarnings("unchecked")
    private void execute(Command command) {
        if (command instanceof Command.Write write) {
            applyOne((PeerChannel<W, R>) write.channel(), (W) write.write(), write.handle());
        } else if (command instanceof Command.Flush flush) {
            flush.handle().applied(lastEpoch, cut(flush.sync()));
        } else {
            stopping = true;
        }
    }

    private void applyOne(PeerChannel<W, R> channel, W write, PeerHandle<Object> handle) {
        long epoch = ++lastEpoch;
        R result = null;
        ApplyException error = null;
        try {
            result = delta.apply(epoch, write);
        } catch (Exception e) {
            error = new ApplyException(epoch, e);
        }
        // The watermark moves before the future completes, so a caller returning from get() sees it cover its write.
        applied.lazyAdvance(epoch);
        channel.onApplied();
        if (handle == null) {
            if (error != null) {
                errorHandler.accept(error);
            }
        } else if (error != null) {
            handle.failed(epoch, error);
        } else {
            handle.applied(epoch, result);
        }
    }

    private void endBatch() {
        for (PeerChannel<W, R> channel : channels) {
            channel.onBatchEnd();
        }
        applied.advance(lastEpoch);
    }

    /** Freezes everything applied since the last cut; with nothing new, passes on only a requested sync. */
    private EpochRange cut(boolean syncRequested) {
        boolean sync = syncRequested || syncEveryFlush;
        EpochRange range = EpochRange.emptyAfter(lastEpoch);
        if (lastEpoch > lastCut) {
            range = new EpochRange(lastCut + 1, lastEpoch);
            put(new FrozenDelta(delta.freeze(), range, sync));
            lastCut = lastEpoch;
        } else if (syncRequested) {
            put(new FrozenDelta(null, range, true));
        }
        nextFlushNanos = System.nanoTime() + flushIntervalNanos;
        return range;
    }

    /** Blocks while the flush thread is two deltas behind: the queue then fills and producers wait. */
    private void put(FrozenDelta frozen) {
        boolean interrupted = false;
        while (true) {
            try {
                handoff.put(frozen);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean allChannelsDrained() {
        for (PeerChannel<W, R> channel : channels) {
            if (!channel.drained()) {
                return false;
            }
        }
        return queue.isEmpty();
    }
}
