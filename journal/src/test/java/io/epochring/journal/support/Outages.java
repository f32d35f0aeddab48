package io.epochring.journal.support;

import io.epochring.EpochRing;
import io.epochring.FlushFailedException;
import io.epochring.testing.TestFlusher;

import java.time.Duration;

import static io.epochring.DurabilityLevel.DURABLE;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ways to leave a journal as a crash would, without leaving this JVM. */
public final class Outages {

    private Outages() {
    }

    /**
     * Stops a coordinator so that its last writes are journaled but not checkpointed: storage fails
     * for good, so the coordinator refuses to checkpoint them (as after a crash, they are above the
     * last checkpoint and come back by replay).
     */
    public static void stopWithoutCheckpoint(EpochRing<?, ?, ?, ?> ring, TestFlusher flusher) {
        flusher.failNext(1, () -> new IllegalStateException("storage failed for good"));
        assertThatThrownBy(() -> ring.flush(true).await(DURABLE, Duration.ofSeconds(30))).isInstanceOf(FlushFailedException.class);
        assertThatThrownBy(ring::stop).isInstanceOf(FlushFailedException.class);
    }
}
