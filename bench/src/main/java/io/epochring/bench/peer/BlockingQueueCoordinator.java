package io.epochring.bench.peer;

import io.epochring.CoordinatorFailedException;
import io.epochring.Delta;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRange;
import io.epochring.FlushFailedException;
import io.epochring.Flusher;
import io.epochring.RejectedWriteException;
import io.epochring.ShutdownException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The peer: EpochRing's design transcribed onto {@code java.util.concurrent}, as a competent
 * engineer would write it without a Disruptor. Same {@link Delta} and {@link Flusher}, same
 * semantics for what it covers: one epoch sequence from 1 across channels, per-channel FIFO and
 * capacity, APPLIED/WRITTEN/DURABLE watermarks, backpressure (try fails at once, blocking waits),
 * timed and size-triggered flushes handed to a flush thread over a bounded queue of two.
 *
 * <pre>
 *  producers --PeerChannel: Semaphore permit--> one ArrayBlockingQueue&lt;Command&gt; (new Write per write)
 *                                                  | drainTo (up to 1024)
 *                                                  v
 *                apply thread: epoch++, Delta.apply, future.complete -> APPLIED per batch
 *                                                  | freeze -> ArrayBlockingQueue(2)
 *                                                  v
 *                flush thread: Flusher.flush -> WRITTEN; Flusher.sync -> DURABLE
 * </pre>
 *
 * <p>Design note (one shared queue): a single apply thread must wait for work from every channel;
 * {@code java.util.concurrent} has no "take from any of these queues", so per-channel queues would
 * force it to poll them in turn (spinning or sleeping). One {@link ArrayBlockingQueue} lets it
 * block in {@code poll}, preserves arrival order across channels (which becomes the epoch order,
 * as EpochRing's ring does), and bounds all writes in flight; a {@link java.util.concurrent.Semaphore}
 * per channel bounds each channel's share, as EpochRing's per-channel permits do.
 *
 * <p>Not covered (not on any measured path): journal, views and subscriptions, pause/resume,
 * cancellation, flush retries (the first flush failure is terminal).
 *
 * @param <W> the write type
 * @param <R> the apply result type
 * @param <F> the delta read type
 * @param <S> the storage snapshot type
 */
public final class BlockingQueueCoordinator<W, R, F, S> implements AutoCloseable {

    private enum State { NEW, RUNNING, STOPPED }

    private final BlockingQueue<Command> queue;
    private final Map<String, PeerChannel<W, R>> channels = new LinkedHashMap<>();
    private final PeerWatermark applied = new PeerWatermark();
    private final PeerWatermark written = new PeerWatermark();
    private final PeerWatermark durable = new PeerWatermark();
    private final Thread applyThread;
    private final Thread flushThread;
    private final Object lifecycle = new Object();

    private volatile State state = State.NEW;
    private volatile FlushFailedException failure;

    BlockingQueueCoordinator(BlockingQueueCoordinatorBuilder<W, R, F, S> config) {
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity);
        config.channels.forEach((name, capacity) -> channels.put(name, new PeerChannel<>(name, capacity, queue, this)));
        BlockingQueue<FrozenDelta> handoff = new ArrayBlockingQueue<>(2);
        ApplyLoop<W, R, F> applyLoop = new ApplyLoop<>(queue, new ArrayList<>(channels.values()), config.delta, applied, handoff,
                                                       config.errorHandler, config.flushInterval.toNanos(),
                                                       config.flushThresholdBytes, config.syncEveryFlush);
        FlushLoop<F, S> flushLoop = new FlushLoop<>(handoff, config.flusher, written, durable, this::fail);
        Runnable onApplyThreadStart = config.onApplyThreadStart;
        applyThread = new Thread(() -> {
            onApplyThreadStart.run();
            applyLoop.run();
        }, "peer-" + config.name + "-apply");
        flushThread = new Thread(flushLoop, "peer-" + config.name + "-flush");
        applyThread.setDaemon(true);
        flushThread.setDaemon(true);
    }

    /** @return a builder for a peer applying writes to {@code delta} and flushing to {@code flusher} */
    public static <W, R, F, S> BlockingQueueCoordinatorBuilder<W, R, F, S> builder(Delta<W, R, F> delta, Flusher<F, S> flusher) {
        return new BlockingQueueCoordinatorBuilder<>(delta, flusher);
    }

    /** Starts the apply and flush threads and opens the channels. Call once. */
    public BlockingQueueCoordinator<W, R, F, S> start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("start() may be called once; this peer is " + state.name().toLowerCase());
            }
            flushThread.start();
            applyThread.start();
            state = State.RUNNING;
            channels.values().forEach(PeerChannel::open);
            return this;
        }
    }

    /** @throws IllegalArgumentException naming the configured channels when {@code name} is not one */
    public PeerChannel<W, R> channel(String name) {
        PeerChannel<W, R> channel = channels.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("unknown channel '" + name + "': configured channels are " + channels.keySet());
        }
        return channel;
    }

    /** @return every channel, in configuration order */
    public List<PeerChannel<W, R>> channels() {
        return List.copyOf(channels.values());
    }

    /**
     * Freezes everything applied so far and hands it to the flush thread. The handle completes
     * with the epochs frozen (empty when nothing was new) once the freeze is cut; its epoch is the
     * last write covered, for waiting on WRITTEN or DURABLE.
     */
    public PeerHandle<EpochRange> flush(boolean sync) {
        synchronized (lifecycle) {
            if (state != State.RUNNING || failure != null) {
                throw refusal(null);
            }
            PeerHandle<EpochRange> handle = new PeerHandle<>();
            putUninterruptibly(new Command.Flush(handle, sync));
            return handle;
        }
    }

    /** @return the level's watermark: every epoch up to it has reached the level */
    public long watermark(DurabilityLevel level) {
        return watermarkOf(level).get();
    }

    /**
     * Waits until the level's watermark reaches {@code epoch}.
     *
     * @return false when the timeout passed first
     * @throws FlushFailedException when a flush failure means it never will
     */
    public boolean awaitWatermark(DurabilityLevel level, long epoch, Duration timeout) {
        return watermarkOf(level).await(epoch, timeout.toNanos());
    }

    /**
     * Refuses new writes, applies every accepted one, flushes and syncs them, and stops both
     * threads. Idempotent.
     *
     * @throws FlushFailedException when a flush failed (now or earlier)
     */
    public void stop() {
        synchronized (lifecycle) {
            if (state == State.RUNNING) {
                channels.values().forEach(PeerChannel::close);
                putUninterruptibly(Command.Stop.INSTANCE);
                joinUninterruptibly(applyThread);
                joinUninterruptibly(flushThread);
            }
            state = State.STOPPED;
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** @return the error for a write the peer cannot take now */
    RejectedWriteException refusal(Object write) {
        FlushFailedException cause = failure;
        if (cause != null) {
            return new CoordinatorFailedException(cause, write);
        }
        return new ShutdownException(state == State.NEW
                                     ? "the peer is not started: call start() before writing"
                                     : "the peer is stopped and accepts no more writes or flushes: start a new one", write);
    }

    private void fail(FlushFailedException error) {
        failure = error;
        channels.values().forEach(PeerChannel::close);
        written.fail(error);
        durable.fail(error);
    }

    private PeerWatermark watermarkOf(DurabilityLevel level) {
        switch (level) {
            case APPLIED:
                return applied;
            case WRITTEN:
                return written;
            case DURABLE:
                return durable;
            default:
                throw new IllegalStateException("the peer has no journal, so no " + level + " watermark: wait for APPLIED, WRITTEN or DURABLE");
        }
    }

    private void putUninterruptibly(Command command) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(command);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "BlockingQueueCoordinator[" + state.name().toLowerCase() + "]";
    }
}
