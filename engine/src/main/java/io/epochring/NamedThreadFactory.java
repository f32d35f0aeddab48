package io.epochring;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * Creates the coordinator's threads with role names ({@code epochring-<name>-<role>}) and keeps
 * them, so stop can join every one and leave none behind.
 */
final class NamedThreadFactory implements ThreadFactory {

    private final String prefix;
    private final ArrayDeque<String> nextNames = new ArrayDeque<>();
    private final List<Thread> created = new CopyOnWriteArrayList<>();
    private int unnamed;

    NamedThreadFactory(String prefix) {
        this.prefix = prefix;
    }

    /** The roles of the next threads to be created, in creation order (nulls are skipped). */
    synchronized void nextNames(String... roles) {
        for (String role : roles) {
            if (role != null) {
                nextNames.add(role);
            }
        }
    }

    @Override
    public synchronized Thread newThread(Runnable runnable) {
        String role = nextNames.isEmpty() ? "worker-" + unnamed++ : nextNames.poll();
        Thread thread = new Thread(runnable, prefix + "-" + role);
        thread.setDaemon(true);
        created.add(thread);
        return thread;
    }

    void join() {
        created.forEach(Uninterruptibles::join);
    }

    /** @return the threads still alive at the deadline (interrupted, in case they wait on something) */
    List<Thread> join(long deadlineNanos) {
        List<Thread> alive = new java.util.ArrayList<>();
        for (Thread thread : created) {
            if (!Uninterruptibles.join(thread, deadlineNanos)) {
                thread.interrupt();
                alive.add(thread);
            }
        }
        return alive;
    }

    void interruptAndJoin() {
        created.forEach(Thread::interrupt);
        join();
    }
}
