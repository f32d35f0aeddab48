package io.epochring.bench;

import java.util.concurrent.TimeUnit;

/**
 * How every benchmark producer waits, in every row alike: after an offer was refused (the queue
 * was full), and while polling for its writes to be applied. Spins briefly, then yields the core to
 * the consumer. Gives up with an exception when nothing moved for {@link Rings#STUCK}, so a broken
 * coordinator fails a run instead of hanging it. One instance per producer thread.
 */
final class Backoff {

    private static final int SPINS = 100;
    private static final long STUCK_NANOS = Rings.STUCK.toNanos();

    private int attempts;
    private long yieldingSince;

    /** Call before each wait. */
    void reset() {
        attempts = 0;
    }

    /** Call once per failed attempt. */
    void idle() {
        int attempt = ++attempts;
        if (attempt <= SPINS) {
            Thread.onSpinWait();
            return;
        }
        if (attempt == SPINS + 1) {
            yieldingSince = System.nanoTime();
        } else if ((attempt & 1023) == 0 && System.nanoTime() - yieldingSince > STUCK_NANOS) {
            throw new IllegalStateException("a benchmark producer waited " + TimeUnit.NANOSECONDS.toSeconds(STUCK_NANOS)
                                            + " s without progress: the coordinator under test is stuck");
        }
        Thread.yield();
    }
}
