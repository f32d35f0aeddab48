package io.epochring;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stream of views: the current one at subscribe, then one per freeze and one per completed
 * flush. Holds up to {@value #BUFFER} undelivered views; a subscriber that falls further behind
 * gets {@link MessageLostException} and should resubscribe and rebuild from the current view.
 *
 * @param <F> the delta read type
 * @param <S> the storage snapshot type
 */
public final class ViewSubscription<F, S> implements AutoCloseable {

    /** Views a subscriber may fall behind before it loses updates. */
    public static final int BUFFER = 16;

    private final ArrayBlockingQueue<View<F, S>> queue = new ArrayBlockingQueue<>(BUFFER);
    private final ViewPublisher<F, S> publisher;
    private volatile boolean lost;

    ViewSubscription(ViewPublisher<F, S> publisher) {
        this.publisher = publisher;
    }

    /**
     * @return the next view, or null if none arrived within the timeout
     * @throws MessageLostException when this subscriber fell behind and missed views
     */
    public View<F, S> next(Duration timeout) {
        checkLost();
        try {
            View<F, S> view = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            checkLost();
            return view;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EpochRingException("interrupted while waiting for a view", e);
        }
    }

    /**
     * @return the next view if one is waiting, else null
     * @throws MessageLostException when this subscriber fell behind and missed views
     */
    public View<F, S> poll() {
        checkLost();
        return queue.poll();
    }

    /** Stops the stream. */
    @Override
    public void close() {
        publisher.unsubscribe(this);
    }

    /** Publisher side: false when the subscriber is now lost and should be dropped. */
    boolean offer(View<F, S> view) {
        if (!queue.offer(view)) {
            lost = true;
            queue.clear();
            return false;
        }
        return true;
    }

    private void checkLost() {
        if (lost) {
            throw new MessageLostException(BUFFER);
        }
    }
}
