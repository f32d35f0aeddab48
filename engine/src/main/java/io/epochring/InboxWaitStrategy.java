package io.epochring;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;

import java.util.Queue;

/**
 * The consumer's wait strategy in a single-producer ring: the configured Disruptor strategy, made
 * to stop waiting as soon as a command is queued in the {@link CommandInbox}, by throwing
 * Disruptor's {@link TimeoutException} so the handler's {@code onTimeout} runs the command. A
 * queued command publishes no slot, so the strategy itself would never see it.
 *
 * <p>It reaches into the wait through the barrier the strategy checks for alerts on every round
 * (all of Disruptor's strategies do): that barrier also reports an alert while the inbox holds a
 * command. Blocking strategies are woken for it by {@link #signalAllWhenBlocking}, which the
 * inbox calls after each command it queues. A real alert (a halt) still ends the wait as an alert.
 *
 * <p>One consumer thread waits on it (single-producer rings run every stage on one thread), so one
 * barrier is reused for every wait and waiting allocates nothing.
 */
final class InboxWaitStrategy implements WaitStrategy {

    private final WaitStrategy waitStrategy;
    private final Queue<?> inbox;
    private final InboxBarrier barrier = new InboxBarrier();

    InboxWaitStrategy(WaitStrategy waitStrategy, Queue<?> inbox) {
        this.waitStrategy = waitStrategy;
        this.inbox = inbox;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier ringBarrier)
        throws AlertException, InterruptedException, TimeoutException {
        if (!inbox.isEmpty()) {
            throw TimeoutException.INSTANCE;
        }
        barrier.ring = ringBarrier;
        try {
            return waitStrategy.waitFor(sequence, cursor, dependentSequence, barrier);
        } catch (AlertException e) {
            if (ringBarrier.isAlerted()) {
                throw e;
            }
            throw TimeoutException.INSTANCE;
        }
    }

    @Override
    public void signalAllWhenBlocking() {
        waitStrategy.signalAllWhenBlocking();
    }

    @Override
    public String toString() {
        return waitStrategy + " (stops waiting for a queued command)";
    }

    /** The ring's barrier, also alerted while a command is queued. */
    private final class InboxBarrier implements SequenceBarrier {

        SequenceBarrier ring;

        @Override
        public long waitFor(long sequence) throws AlertException, InterruptedException, TimeoutException {
            return ring.waitFor(sequence);
        }

        @Override
        public long getCursor() {
            return ring.getCursor();
        }

        @Override
        public boolean isAlerted() {
            return ring.isAlerted() || !inbox.isEmpty();
        }

        @Override
        public void alert() {
            ring.alert();
        }

        @Override
        public void clearAlert() {
            ring.clearAlert();
        }

        @Override
        public void checkAlert() throws AlertException {
            if (isAlerted()) {
                throw AlertException.INSTANCE;
            }
        }
    }
}
