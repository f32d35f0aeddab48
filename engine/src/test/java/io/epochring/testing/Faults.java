package io.epochring.testing;

import java.util.function.Supplier;

/** Throws what a test armed: a {@link RuntimeException} or an {@link Error}, never a checked wrapper. */
public final class Faults {

    private Faults() {
    }

    /** Does nothing when {@code fault} is null; else throws what it supplies. */
    public static void raise(Supplier<? extends Throwable> fault) {
        if (fault == null) {
            return;
        }
        Throwable t = fault.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
