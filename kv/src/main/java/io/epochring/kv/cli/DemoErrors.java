package io.epochring.kv.cli;

import io.epochring.CoordinatorFailedException;
import io.epochring.CoordinatorFaultException;
import org.agrona.ErrorHandler;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's handler for errors that belong to no write handle. Its writes are fire-and-forget, so
 * after a fault every one still in the ring is refused through here: printing each (the engine's
 * default) would bury the one line that matters under a thousand copies of it. The fault itself is
 * reported once, by the demo, from {@code ring.failure()}; refusals are only counted; of anything
 * else, the first is printed.
 */
final class DemoErrors implements ErrorHandler {

    private final PrintWriter err;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean printed = new AtomicBoolean();

    DemoErrors(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void onError(Throwable error) {
        if (error instanceof CoordinatorFaultException) {
            return;
        }
        if (error instanceof CoordinatorFailedException) {
            refused.incrementAndGet();
            return;
        }
        if (printed.compareAndSet(false, true)) {
            err.println("epochring demo: " + EpochRingCli.oneLine(error) + " (later errors without a write to report them to are not printed)");
            err.flush();
        }
    }

    /** @return fire-and-forget writes the coordinator refused because it had failed */
    long refused() {
        return refused.get();
    }
}
