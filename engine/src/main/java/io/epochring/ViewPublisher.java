package io.epochring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds the current {@link View} and tells subscribers when it changes. Written by the apply
 * stage (at a freeze) and the flush thread (after a flush), so updates take this object's lock;
 * readers just read the volatile reference.
 */
final class ViewPublisher<F, S> {

    private final CopyOnWriteArrayList<ViewSubscription<F, S>> subscribers = new CopyOnWriteArrayList<>();
    private volatile View<F, S> current;

    ViewPublisher(F live, S snapshot) {
        current = new View<>(live, List.of(), snapshot, null, 0);
    }

    View<F, S> current() {
        return current;
    }

    synchronized ViewSubscription<F, S> subscribe() {
        ViewSubscription<F, S> subscription = new ViewSubscription<>(this);
        subscription.offer(current);
        subscribers.add(subscription);
        return subscription;
    }

    void unsubscribe(ViewSubscription<F, S> subscription) {
        subscribers.remove(subscription);
    }

    /** Apply stage: {@code frozen} was sealed and {@code live} is the new live view. */
    synchronized void onFreeze(F frozen, F live) {
        View<F, S> old = current;
        List<F> frozenList = new ArrayList<>(old.frozen().size() + 1);
        frozenList.add(frozen);
        frozenList.addAll(old.frozen());
        publish(new View<>(live, frozenList, old.snapshot(), old.lastWritten(), old.version() + 1));
    }

    /** Flush thread: {@code frozen} is now in storage, whose snapshot is {@code snapshot}. */
    synchronized void onFlushed(F frozen, S snapshot) {
        View<F, S> old = current;
        List<F> frozenList = new ArrayList<>(old.frozen());
        frozenList.removeIf(f -> f == frozen);
        publish(new View<>(old.live(), frozenList, snapshot, frozen, old.version() + 1));
    }

    private void publish(View<F, S> view) {
        current = view;
        for (ViewSubscription<F, S> subscriber : subscribers) {
            if (!subscriber.offer(view)) {
                subscribers.remove(subscriber);
            }
        }
    }
}
