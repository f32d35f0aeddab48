package io.epochring;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventHandlerGroup;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The running machinery of one coordinator: the ring with its stages laid out for the threading
 * mode, the flush thread, the sink threads, and the order they are stopped in. The
 * {@link Conductor} owns the lifecycle and the failure latch; this class owns the threads.
 */
final class Pipeline<W, R, F, S> {

    private final BlockingQueue<FrozenBatch> handoff = new ArrayBlockingQueue<>(2);
    private final FlushTimer timer = new FlushTimer();
    private final List<SinkWorker<F>> sinks = new ArrayList<>();
    private final NamedThreadFactory threads;
    private final Conductor<W, R, F, S> ring;
    private final ViewPublisher<F, S> views;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ringBuffer;
    private final CommandPath commands;
    private final FlushProcessor<F, S> flushProcessor;
    private final Thread flushThread;

    Pipeline(Conductor<W, R, F, S> ring, Channel<?, ?>[] channels, JournalRecovery.Recovered recovered, NamedThreadFactory threads,
             RingAllocation.Ring built) {
        EngineConfig<W, R, F, S> config = ring.config;
        Watermarks watermarks = ring.watermarks();
        this.ring = ring;
        this.threads = threads;
        RecoveryReport recovery = recovered.report();
        long lastEpoch = recovery.lastEpoch();
        long durable = recovery.checkpoint().durableEpoch();
        watermarks.applied().advance(lastEpoch);
        watermarks.journal().advance(lastEpoch);
        watermarks.written().advance(durable);
        watermarks.durable().advance(durable);

        views = new ViewPublisher<>(config.delta.view(), config.flusher.snapshot());
        long stored = recovery.storage().epoch();
        for (FrozenBatch segment : recovered.segments()) {
            if (segment.range.last() > stored) { // storage lacks it: readers find it among the frozen deltas until it is flushed
                @SuppressWarnings("unchecked") F frozen = (F) segment.frozen;
                views.onFreeze(frozen, config.delta.view());
            }
        }
        long intervalNanos = config.flushInterval.toNanos();
        SequenceStage sequence = new SequenceStage(channels.length, lastEpoch);
        ApplyStage<W, R, F> apply = new ApplyStage<>(config.delta, watermarks.applied(), views, config.errorHandler, config.clock,
                                                     intervalNanos, config.flushThresholdBytes, config.syncEveryFlush, timer,
                                                     ring, config.journal == null ? null : config.codec,
                                                     config.journal == null ? Integer.MAX_VALUE : config.journal.maxPayloadLength(),
                                                     lastEpoch, recovered.lastCut());
        JournalStage journal = config.journal == null ? null : new JournalStage(config.journal, watermarks.journal(), ring, lastEpoch);
        PublishStage publish = new PublishStage(handoff, ring);

        CommandInbox inbox = null;
        disruptor = built.disruptor();
        if (built.inbox() != null) {
            inbox = new CommandInbox(built.inbox(), disruptor.getRingBuffer(), built.inboxWait());
            commands = inbox;
        } else {
            commands = new SlotCommands(disruptor.getRingBuffer());
        }
        disruptor.setDefaultExceptionHandler(new StageExceptionHandler(config.errorHandler, ring));
        LingeringWaitStrategy linger = config.waitStrategy instanceof LingeringWaitStrategy lingering ? lingering : null;
        if (config.threadingMode == ThreadingMode.SINGLE_THREAD) {
            threads.nextNames("pipeline");
            disruptor.handleEventsWith(new StageHandler(sequence, apply, journal, publish, inbox, linger));
        } else {
            threads.nextNames("sequence", "apply", journal == null ? null : "journal", "publish");
            EventHandlerGroup<Slot> chain = disruptor.handleEventsWith(new StageHandler(sequence, null, null, null, null, linger))
                                                     .then(new StageHandler(null, apply, null, null));
            if (journal != null) {
                chain = chain.then(new StageHandler(null, null, journal, null));
            }
            chain.then(new StageHandler(null, null, null, publish));
        }
        ringBuffer = disruptor.start();

        List<SinkWorker<?>> required = new ArrayList<>();
        List<SinkWorker<?>> positioned = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, EpochRingBuilder.SinkSpec<F>> spec : config.sinks.entrySet()) {
            SinkWorker<F> sink = new SinkWorker<>(spec.getKey(), spec.getValue().sink(), spec.getValue().options(),
                                                  new RetryLoop(config.retryPolicy, config.isTransient, config.clock), config.clock,
                                                  config.listeners, config.errorHandler,
                                                  ring, recovery.sinks().get(index).epoch());
            if (recovery.sinks().get(index++).reported()) {
                positioned.add(sink);
            }
            sinks.add(sink);
            if (sink.isRequired()) {
                required.add(sink);
            }
        }
        DurabilityTracker tracker = new DurabilityTracker(config.name, watermarks, required, positioned, config.journal, stored, durable);
        sinks.forEach(sink -> sink.tracker(tracker));
        flushProcessor = new FlushProcessor<>(ring, handoff, recovered.segments(), config.flusher, views, watermarks,
                                              config.retryPolicy, config.isTransient, config.listeners,
                                              config.errorHandler, config.clock, timer, this::requestTick, intervalNanos, tracker, sinks);
        threads.nextNames("flush");
        flushThread = threads.newThread(flushProcessor);
        flushThread.start();
        for (SinkWorker<F> sink : sinks) {
            threads.nextNames("sink-" + sink.name());
            threads.newThread(sink).start();
        }
    }

    RingBuffer<Slot> ringBuffer() {
        return ringBuffer;
    }

    /** @return where flush, pause, resume, stop and timer ticks go */
    CommandPath commands() {
        return commands;
    }

    ViewPublisher<F, S> views() {
        return views;
    }

    CoordinatorStats stats() {
        return flushProcessor.stats();
    }

    List<SinkStatus> sinkStatus() {
        return sinks.stream().map(SinkWorker::status).toList();
    }

    void terminalFailure(CoordinatorFaultException error) {
        flushProcessor.terminalFailure(error);
    }

    void requestTick() {
        if (!commands.tryCommand(Slot.TICK, null)) {
            timer.tickDone();
        }
    }

    /**
     * Stops in dependency order: held writes fail, every accepted write applies, a last flush
     * with sync lands (or fails), the ring halts, the flush thread ends, sinks deliver what they
     * hold and end, and every thread is joined. Channels must already be closed. Each step waits
     * only until the deadline; past it the ring is halted and the threads still running are left
     * interrupted.
     *
     * @return what did not finish by the deadline, or null when everything did
     */
    String drainAndStop(Collection<? extends Channel<?, ?>> channels, long deadlineNanos) {
        Watermarks watermarks = ring.watermarks();
        List<String> late = new ArrayList<>();
        if (!publish(Slot.STOP, null, deadlineNanos) || !awaitDrained(channels, ring, deadlineNanos)) {
            late.add("the ring did not drain (writes still queued)");
        } else if (ring.failureCause() == null) {
            WriteHandle<EpochRange> last = WriteHandle.forFlush(watermarks);
            if (!publish(Slot.FLUSH, last, deadlineNanos)) {
                late.add("the last flush could not be queued");
            } else {
                try {
                    last.await(DurabilityLevel.DURABLE, Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
                } catch (AwaitTimeoutException e) {
                    late.add("the last flush and sync did not finish (the flusher is still working or stuck)");
                } catch (EpochRingException e) {
                    // a terminal failure: the coordinator reports it from stop()
                }
            }
        }
        try {
            disruptor.shutdown(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            disruptor.halt();
            late.add("the ring threads did not finish their backlog");
        }
        if (!Uninterruptibles.offer(handoff, FlushProcessor.STOP, deadlineNanos) || !Uninterruptibles.join(flushThread, deadlineNanos)) {
            late.add("the flush thread did not end");
        }
        sinks.forEach(SinkWorker::stop);
        List<Thread> alive = threads.join(deadlineNanos);
        if (!alive.isEmpty()) {
            late.add("threads still running: " + alive.stream().map(Thread::getName).toList());
        }
        return late.isEmpty() ? null : String.join("; ", late);
    }

    private boolean publish(byte kind, WriteHandle<EpochRange> flush, long deadlineNanos) {
        IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        while (!(flush == null ? commands.tryCommand(kind, null) : commands.tryFlush(flush, true))) {
            if (System.nanoTime() >= deadlineNanos) {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    /** @return false on the deadline; true once every accepted write left its channel, or the coordinator failed */
    private static boolean awaitDrained(Collection<? extends Channel<?, ?>> channels, Conductor<?, ?, ?, ?> ring, long deadlineNanos) {
        IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        for (Channel<?, ?> channel : channels) {
            while (channel.depth() > 0 && ring.failureCause() == null) {
                if (System.nanoTime() >= deadlineNanos) {
                    return false;
                }
                idle.idle();
            }
        }
        return true;
    }

    /**
     * The last line of defence on the ring threads: an unexpected throw from a stage (a bug, or an
     * Error the stage did not expect) fails the coordinator once, with its cause, instead of being
     * logged and skipped with the slot half-processed.
     */
    private static final class StageExceptionHandler implements ExceptionHandler<Slot> {
        private final ErrorHandler errorHandler;
        private final Conductor<?, ?, ?, ?> ring;

        StageExceptionHandler(ErrorHandler errorHandler, Conductor<?, ?, ?, ?> ring) {
            this.errorHandler = errorHandler;
            this.ring = ring;
        }

        @Override
        public void handleEventException(Throwable ex, long sequence, Slot event) {
            if (ring.failureCause() == null) {
                ring.fail(new StageFailedException(EpochRange.emptyAfter(0), "a ring stage failed unexpectedly at ring sequence " + sequence, ex));
            }
            // The ring moves past this slot, so no stage will resolve its handle: its waiter gets the fault now.
            if (event != null && event.handle != null && !event.handle.isResolved()) {
                event.handle.fail(ring.failureCause());
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            errorHandler.onError(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            errorHandler.onError(ex);
        }
    }
}
