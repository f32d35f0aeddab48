package io.epochring.journal.support;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Named points in a child process where the parent test aims its {@code kill -9}. One point is
 * armed with an occurrence: the n-th time any thread reaches it, the child prints
 * {@code PHASE <point>}, pauses there briefly and then prints {@code PASSED <point>} (so the
 * parent can tell whether its kill landed inside the point or just after it). A holding point
 * prints {@code HELD} instead and never returns: the process waits there to be killed.
 */
public final class KillPoints {

    /** How long the thread pauses at the armed point: it widens the window for the parent's kill. */
    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final KillPoints NONE = new KillPoints(null, 0, false, null);

    private final String armed;
    private final long occurrence;
    private final boolean hold;
    private final PrintStream out;
    private final AtomicLong reached = new AtomicLong();

    private KillPoints(String armed, long occurrence, boolean hold, PrintStream out) {
        this.armed = armed;
        this.occurrence = occurrence;
        this.hold = hold;
        this.out = out;
    }

    /** @return points that are never armed (for the parent's own coordinators) */
    public static KillPoints none() {
        return NONE;
    }

    /** @return {@code point} armed at its {@code occurrence}-th reach (1-based), pausing briefly there */
    public static KillPoints pauseAt(String point, long occurrence, PrintStream out) {
        return new KillPoints(point, occurrence, false, out);
    }

    /** @return {@code point} armed at its {@code occurrence}-th reach (1-based), holding there until killed */
    public static KillPoints holdAt(String point, long occurrence, PrintStream out) {
        return new KillPoints(point, occurrence, true, out);
    }

    /** Called by the code under test each time it passes {@code point}. */
    public void reached(String point) {
        if (armed == null || !armed.equals(point) || reached.incrementAndGet() != occurrence) {
            return;
        }
        if (hold) {
            out.println("HELD " + point);
            while (true) {
                LockSupport.park(this);
            }
        }
        out.println("PHASE " + point);
        LockSupport.parkNanos(PAUSE_NANOS);
        out.println("PASSED " + point);
    }
}
