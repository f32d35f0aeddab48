package io.epochring;

import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The control plane of one coordinator, made once from its concluded {@link EngineConfig}: owns
 * the lifecycle, the failure latch, the channels, the watermarks and the running
 * {@link Pipeline}. The machinery (channels, stages, the flush thread, sinks) gets this object,
 * never the public {@link EpochRing}, which is a thin facade over it.
 *
 * <p>Design note (the latch): {@link #fail} keeps the first fault and ignores later ones, so every
 * caller and waiter sees the same cause; it takes this object's monitor, which no pipeline thread
 * holds while waiting, while the lifecycle has a lock of its own (held through a whole stop).
 */
final class Conductor<W, R, F, S> {

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    final EngineConfig<W, R, F, S> config;
    private final Watermarks watermarks;
    private final Map<String, Channel<W, R>> channels = new LinkedHashMap<>();
    private final NamedThreadFactory threads;
    private final Object lifecycle = new Object();
    /** With a single producer: the thread that may write, bound by its first write; else unused. */
    private final AtomicReference<Thread> producer = new AtomicReference<>();

    private volatile State state = State.NEW;
    private volatile CoordinatorFaultException failure;
    private volatile RecoveryReport recovery = RecoveryReport.NONE;
    private volatile Pipeline<W, R, F, S> pipeline;

    Conductor(EngineConfig<W, R, F, S> config) {
        this.config = config;
        this.watermarks = new Watermarks(config.journal != null);
        this.threads = new NamedThreadFactory("epochring-" + config.name, config.onThreadStart, this::threadStartFailed);
        int id = 0;
        for (Map.Entry<String, Integer> channel : config.channels.entrySet()) {
            channels.put(channel.getKey(), new Channel<>(channel.getKey(), id++, channel.getValue(), this, config.producerIdleStrategy));
        }
    }

    // ---- lifecycle (the facade's callers) -----------------------------------------------------

    void start() {
        synchronized (lifecycle) {
            if (state != State.NEW) {
                throw new IllegalStateException("start() may be called once; this coordinator is " + state.name().toLowerCase());
            }
            EngineEvents.Recovery event = EngineEvents.recoveryStarted();
            JournalRecovery.Recovered recovered = null;
            try {
                // The ring's slots need nothing from recovery: with a journal to replay, they are allocated meanwhile.
                RingAllocation ring = RingAllocation.begin(config, threads, config.journal != null);
                recovered = new JournalRecovery<>(config.journal, config.codec, config.delta, config.flusher, config.sinks,
                                                  config.syncEveryFlush, config.acceptJournalLoss).run();
                recovery = recovered.report();
                recovered(event, recovery, null);
                pipeline = new Pipeline<>(this, channels.values().toArray(new Channel<?, ?>[0]), recovered, threads, ring.await());
            } catch (RuntimeException | Error e) {
                if (recovered == null) {
                    recovered(event, RecoveryReport.NONE, e);
                }
                state = State.STOPPED;
                threads.interruptAndJoin();
                if (config.journal != null) {
                    config.journal.close();
                }
                throw e;
            }
            state = State.RUNNING;
            openChannels();
        }
    }

    /** Under the monitor fail() takes: a fault while start() ran (a thread start hook's) keeps them closed. */
    private synchronized void openChannels() {
        if (failure == null) {
            channels.values().forEach(Channel::open);
        }
    }

    WriteHandle<EpochRange> flush(boolean sync) {
        WriteHandle<EpochRange> handle = WriteHandle.forFlush(watermarks);
        publishCommand("flush", () -> pipeline.commands().tryFlush(handle, sync));
        return handle;
    }

    void stop(Duration timeout) {
        long deadline = WriteHandle.deadline(timeout);
        // The whole stop holds the lifecycle lock: a concurrent stop() waits and then returns, and
        // flush()/pause()/resume() racing with it are refused instead of landing after the last flush.
        // No pipeline thread takes this lock, so the pipeline drains while it is held.
        synchronized (lifecycle) {
            String late = null;
            if (state == State.RUNNING) {
                state = State.STOPPING;
                channels.values().forEach(Channel::close);
                try {
                    late = pipeline.drainAndStop(channels.values(), deadline);
                } finally {
                    if (config.journal != null) {
                        config.journal.close();
                    }
                    channels.values().forEach(Channel::reportBackpressure);
                    if (config.errorHandler instanceof LoggingErrorHandler) {
                        ((LoggingErrorHandler) config.errorHandler).reportRepeats(); // the last interval's counts
                    }
                }
            } else if (state == State.NEW && config.journal != null) {
                config.journal.close();
            }
            state = State.STOPPED;
            EpochRingException timedOut = late == null ? null : new EpochRingException(
                "stop() did not finish within " + timeout + ": " + late + ". Epochs " + (watermarks.get(DurabilityLevel.WRITTEN) + 1)
                + ".." + watermarks.get(DurabilityLevel.APPLIED) + " were not flushed"
                + (config.journal == null ? " and are lost" : "; those journaled come back when the journal is reopened"));
            CoordinatorFaultException fault = failure;
            if (timedOut != null) {
                watermarks.abandon(timedOut);
            } else if (fault != null) {
                // Every thread has ended: a write still unresolved (its slot skipped by a failing stage) never will be.
                watermarks.abandon(fault);
            }
            if (fault != null) {
                if (timedOut != null && fault.getSuppressed().length == 0) {
                    fault.addSuppressed(timedOut);
                }
                throw fault;
            }
            if (timedOut != null) {
                throw timedOut;
            }
        }
    }

    Channel<W, R> channel(String name) {
        Channel<W, R> channel = channels.get(name);
        if (channel == null) {
            throw new IllegalArgumentException("unknown channel '" + name + "': configured channels are " + channels.keySet());
        }
        return channel;
    }

    Collection<Channel<W, R>> channels() {
        return channels.values();
    }

    RecoveryReport recovery() {
        return recovery;
    }

    Pipeline<W, R, F, S> started() {
        Pipeline<W, R, F, S> p = pipeline;
        if (p == null) {
            throw new IllegalStateException("the coordinator is not started: call start() first");
        }
        return p;
    }

    // ---- for the machinery ----------------------------------------------------------------------

    Watermarks watermarks() {
        return watermarks;
    }

    RingBuffer<Slot> ringBuffer() {
        return pipeline.ringBuffer();
    }

    void channelCommand(byte kind, Channel<?, ?> channel) {
        publishCommand(kind == Slot.PAUSE ? "pause" : "resume",
                       () -> pipeline.commands().tryCommand(kind, channel));
        if (failure != null) {
            // A fault that freed the slot between the check and the claim: the command went into a failed
            // ring, which does nothing with it, so the caller hears of the fault as if it had come first.
            throw refusal(null);
        }
    }

    /**
     * Queues a command (in the ring, or in a single-producer ring's inbox), waiting for room as long
     * as it takes: a ring full of writes behind a slow flusher or required sink is backpressure on
     * commands too. The lifecycle lock
     * is held for each attempt, so a command never lands after stop()'s last flush, but never
     * while waiting: a stop() that comes meanwhile goes ahead (and may halt a ring that will not
     * drain), and this command is then refused instead of waiting for ever.
     */
    private void publishCommand(String command, BooleanSupplier tryPublish) {
        IdleStrategy idle = null;
        while (true) {
            synchronized (lifecycle) {
                requireRunning();
                if (tryPublish.getAsBoolean()) {
                    return;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RejectedWriteException("interrupted while waiting for a free ring slot: the " + command
                                                 + " was not queued", null, null, false);
            }
            if (idle == null) {
                idle = config.producerIdleStrategy.get();
                idle.reset();
            }
            idle.idle();
        }
    }

    /**
     * Single producer: lets the calling thread write if it is the producer, or becomes the producer
     * if none has written yet; called before a write claims anything.
     *
     * @throws ProducerThreadException when another thread is the producer
     */
    void requireProducer(String channel, Object write) {
        Thread caller = Thread.currentThread();
        Thread bound = producer.get();
        if (bound != caller && (bound != null || !producer.compareAndSet(null, caller))) {
            throw new ProducerThreadException(channel, producer.get(), caller, write);
        }
    }

    /** @return true once stop() has finished (a halted ring never frees another slot) */
    boolean stopped() {
        return state == State.STOPPED;
    }

    /** @return the first fault, or null while there has been none */
    CoordinatorFaultException failureCause() {
        return failure;
    }

    /** A coordinator thread's start hook threw: the thread goes on with its work, the coordinator fails. */
    private void threadStartFailed(String thread, Throwable e) {
        fail(new StageFailedException(EpochRange.emptyAfter(watermarks.get(DurabilityLevel.APPLIED)),
                                      "the start hook (EpochRingBuilder.onThreadStart) threw on thread " + thread
                                      + "; the coordinator takes no more writes: fix the hook, or remove it, and start a new one", e));
    }

    /**
     * Any thread: the first fault. Refuse writes from now on; fail waiters above JOURNALED,
     * WRITTEN and DURABLE; tell listeners. Only the first fault counts.
     */
    synchronized void fail(CoordinatorFaultException error) {
        if (failure != null) {
            return;
        }
        failure = error;
        channels.values().forEach(Channel::close);
        EngineEvents.failed(config.name, error);
        config.errorHandler.onError(error);
        // Listeners hear first, so a waiter woken by the failure knows they have been told.
        Pipeline<W, R, F, S> p = pipeline;
        if (p != null) {
            p.terminalFailure(error);
        }
        if (config.journal != null) {
            watermarks.journal().fail(error); // nothing is committed after a fault: JOURNALED waiters above it get the cause
        }
        watermarks.written().fail(error);
        watermarks.durable().fail(error);
    }

    /** @return the error for a write or command the coordinator cannot take now */
    RejectedWriteException refusal(Object write) {
        CoordinatorFaultException cause = failure;
        if (cause != null) {
            return new CoordinatorFailedException(cause, write);
        }
        switch (state) {
            case NEW:
                return new ShutdownException("the coordinator is not started: call start() before writing", write);
            case RUNNING:
                return new ShutdownException("the coordinator is running but the channel is closed", write);
            default:
                return new ShutdownException("the coordinator is " + state.name().toLowerCase()
                                             + " and accepts no more writes or flushes: start a new one", write);
        }
    }

    private void recovered(EngineEvents.Recovery event, RecoveryReport report, Throwable failure) {
        if (event != null) {
            event.finish(config.name, report, failure);
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING || failure != null) {
            throw refusal(null);
        }
    }

    @Override
    public String toString() {
        return "EpochRing[" + config.name + ", " + state.name().toLowerCase() + "]";
    }
}
