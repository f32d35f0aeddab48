package io.epochring.bench.peer;

import io.epochring.EpochRange;

/**
 * What travels through the peer's queue: one object per write (the peer's per-write allocation),
 * plus the flush and stop commands.
 */
sealed interface Command permits Command.Write, Command.Flush, Command.Stop {

    /** A write; {@code handle} is null for fire-and-forget writes. */
    record Write(PeerChannel<?, ?> channel, Object write, PeerHandle<Object> handle) implements Command {
    }

    /** Freeze what is applied and hand it to the flush thread; {@code sync} also syncs storage. */
    record Flush(PeerHandle<EpochRange> handle, boolean sync) implements Command {
    }

    /** Apply everything accepted, flush and sync it, then end the apply thread. */
    enum Stop implements Command {
        INSTANCE
    }
}
