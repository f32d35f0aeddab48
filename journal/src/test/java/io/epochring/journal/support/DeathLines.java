package io.epochring.journal.support;

import java.io.PrintStream;

/**
 * Makes a child process print {@code DIED <thread> <throwable>} on its stdout for every thread
 * that dies of an uncaught throw (and the stack trace on stderr, as the JVM would), so the parent
 * test fails at once, naming the cause, instead of waiting for a line that will never come.
 */
public final class DeathLines {

    private DeathLines() {
    }

    public static void printTo(PrintStream out) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            out.println("DIED " + thread.getName() + " " + e.toString().replace('\n', ' '));
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace();
        });
    }
}
