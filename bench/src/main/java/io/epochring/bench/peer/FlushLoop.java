package io.epochring.bench.peer;

import io.epochring.FlushFailedException;
import io.epochring.Flusher;

import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * The peer's flush thread: writes each frozen delta with the {@link Flusher}, advances WRITTEN,
 * and on a sync request syncs storage and advances DURABLE. The peer does not retry: its first
 * flush failure is terminal (WRITTEN and DURABLE waiters get it, and writes are refused).
 */
final class FlushLoop<F, S> implements Runnable {

    private final BlockingQueue<FrozenDelta> handoff;
    private final Flusher<F, S> flusher;
    private final PeerWatermark written;
    private final PeerWatermark durable;
    private final Consumer<FlushFailedException> onFailure;
    private boolean failed;

    FlushLoop(BlockingQueue<FrozenDelta> handoff, Flusher<F, S> flusher, PeerWatermark written, PeerWatermark durable,
              Consumer<FlushFailedException> onFailure) {
        this.handoff = handoff;
        this.flusher = flusher;
        this.written = written;
        this.durable = durable;
        this.onFailure = onFailure;
    }

    @Override
    public void run() {
        while (true) {
            FrozenDelta batch;
            try {
                batch = handoff.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (batch == FrozenDelta.STOP) {
                return;
            }
            if (!failed) {
                process(batch);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void process(FrozenDelta batch) {
        try {
            if (batch.frozen() != null) {
                flusher.flush((F) batch.frozen(), batch.range());
                written.advance(batch.range().last());
            }
            if (batch.sync()) {
                flusher.sync();
                durable.advance(written.get());
            }
        } catch (Exception e) {
            failed = true;
            onFailure.accept(new FlushFailedException(batch.range(), "the flusher failed (the peer does not retry)", e));
        }
    }
}
