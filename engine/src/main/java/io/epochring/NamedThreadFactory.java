package io.epochring;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Creates the coordinator's threads with role names ({@code epochring-<name>-<role>}) and keeps
 * them, so stop can join every one and leave none behind. With a start hook, each thread runs it
 * first, with its role.
 */
final class NamedThreadFactory implements ThreadFactory {

    private final String prefix;
    /** Null when there is none. */
    private final Consumer<String> onStart;
    /** Told the thread's name and what its start hook threw. */
    private final BiConsumer<String, Throwable> onStartFailed;
    private final ArrayDeque<String> nextNames = new ArrayDeque<>();
    private final List<Thread> created = new CopyOnWriteArrayList<>();
    private int unnamed;

    NamedThreadFactory(String prefix) {
        this(prefix, null, (thread, e) -> { });
    }

    NamedThreadFactory(String prefix, Consumer<String> onStart, BiConsumer<String, Throwable> onStartFailed) {
        this.prefix = prefix;
        this.onStart = onStart;
        this.onStartFailed = onStartFailed;
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
        Thread thread = new Thread(onStart == null ? runnable : () -> startThen(role, runnable), prefix + "-" + role);
        thread.setDaemon(true);
        created.add(thread);
        return thread;
    }

    private void startThen(String role, Runnable work) {
        try {
            onStart.accept(role);
        } catch (RuntimeException | Error e) {
            // The thread boundary: the work runs anyway, so nothing waits on a thread that never began.
            onStartFailed.accept(Thread.currentThread().getName(), e);
        }
        work.run();
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
