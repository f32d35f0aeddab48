package io.epochring;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The command path of a single-producer ring. Only the producer thread may claim ring slots
 * (Disruptor's single-producer sequencer claims them without atomic instructions), so a command,
 * from any thread, goes into a queue beside the ring instead, stamped with the ring's published
 * cursor at that moment: the last write it must come after.
 *
 * <p>The ring's one consumer thread takes queued commands at the start and the end of each batch
 * of slots, and whenever it would otherwise wait ({@link InboxWaitStrategy} stops waiting while a
 * command is queued), and runs each through the stages just before the first slot past its stamp,
 * as if the command had had that slot. So a command covers every write published before it was
 * queued (a flush from any thread covers what the producer published before the flush was called),
 * and a write published after it returned comes after it (a write published after
 * {@link Channel#pause()} returned is held). Commands run in the order they were queued.
 *
 * <p>Design note (the queue): the JDK's {@link LinkedBlockingQueue}, bounded, rather than Agrona's
 * many-to-one queues, which in Agrona 2 need {@code jdk.internal.misc} exported to them: the
 * engine otherwise runs without JVM flags. Commands are rare, so its locks and its node per command
 * cost nothing that matters; the ring thread's check while it waits ({@code isEmpty}) takes no lock.
 */
final class CommandInbox implements CommandPath {

    /** Commands waiting at once; beyond this a command waits for room, as it would for a ring slot. */
    static final int CAPACITY = 1024;

    private final BlockingQueue<Queued> queue;
    private final RingBuffer<Slot> ring;
    private final WaitStrategy waitStrategy;

    // ---- the consumer thread's
    private final ArrayDeque<Queued> taken = new ArrayDeque<>();

    /**
     * @param queue        shared with the consumer's {@link InboxWaitStrategy}
     * @param waitStrategy signalled after each command is queued, so a blocking strategy wakes for it
     */
    CommandInbox(BlockingQueue<Queued> queue, RingBuffer<Slot> ring, WaitStrategy waitStrategy) {
        this.queue = queue;
        this.ring = ring;
        this.waitStrategy = waitStrategy;
    }

    static BlockingQueue<Queued> newQueue() {
        return new LinkedBlockingQueue<>(CAPACITY);
    }

    @Override
    public boolean tryFlush(WriteHandle<EpochRange> handle, boolean sync) {
        Slot command = new Slot();
        Slot.FLUSH_TRANSLATOR.translateTo(command, 0, handle, sync);
        return offer(command);
    }

    @Override
    public boolean tryCommand(byte kind, Channel<?, ?> channel) {
        Slot command = new Slot();
        if (channel == null) {
            Slot.COMMAND_TRANSLATOR.translateTo(command, 0, kind);
        } else {
            Slot.CHANNEL_COMMAND_TRANSLATOR.translateTo(command, 0, kind, channel);
        }
        return offer(command);
    }

    private boolean offer(Slot command) {
        if (!queue.offer(new Queued(command, ring.getCursor()))) {
            return false;
        }
        waitStrategy.signalAllWhenBlocking();
        return true;
    }

    // ---- the consumer thread ------------------------------------------------------------------

    /** Takes every command queued so far, in order. */
    void take() {
        if (!queue.isEmpty()) {
            queue.drainTo(taken);
        }
    }

    /** @return true when a command taken must run before the slot {@code sequence} */
    boolean dueBefore(long sequence) {
        Queued next = taken.peekFirst();
        return next != null && next.stamp < sequence;
    }

    /**
     * @return true when a command taken and still waiting for slots has a handle (a flush): its
     *         caller may be waiting on it. Ticks, pause and resume have none.
     */
    boolean handleWaiting() {
        if (taken.isEmpty()) {
            return false; // the usual case, checked at every batch end: no iterator for it
        }
        for (Queued queued : taken) {
            if (queued.command().handle != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs, in the order queued, the commands taken whose stamps are at most {@code processed}:
     * every write they must come after has been through the stages.
     */
    void runDue(long processed, StageHandler stages) {
        Queued next;
        while ((next = taken.peekFirst()) != null && next.stamp <= processed) {
            taken.pollFirst();
            stages.runCommand(next.command);
        }
    }

    /** A command and the ring cursor when it was queued. */
    record Queued(Slot command, long stamp) {
    }
}
