package io.epochring;

import io.epochring.testing.Await;
import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full channel: tryWrite fails at once, a timed write times out or gets in when space frees up,
 * a plain write blocks until there is space; each rejected write is handed back. A paused channel
 * keeps its writes' permits, so pausing is how these tests fill a channel deterministically.
 */
class BackpressureTest {

    private EpochRing<Put, Long, java.util.Map<String, Long>, java.util.Map<String, Long>> ring;
    private Channel<Put, Long> channel;

    @BeforeEach
    void startRingWithAFullChannel() {
        ring = EpochRing.builder(new MapDelta(), new TestFlusher()).channel("small", 2).build().start();
        channel = ring.channel("small");
        channel.pause();
        channel.tryWrite(new Put("a", 1));
        channel.tryWrite(new Put("b", 2));
    }

    @AfterEach
    void stop() {
        ring.stop();
    }

    @Test
    void shouldFailTryWriteAtOnceOnAFullChannelHandingTheWriteBack() {
        Put rejected = new Put("c", 3);
        assertThatThrownBy(() -> channel.tryWrite(rejected))
            .isInstanceOf(BackpressureException.class)
            .hasMessageContaining("'small' is full")
            .satisfies(e -> assertThat(((BackpressureException) e).<Put>write()).isSameAs(rejected))
            .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
        assertThat(channel.tryPublish(new Put("d", 4))).isFalse();
        assertThat(channel.stats().rejected()).isEqualTo(2);
    }

    @Test
    void shouldTimeOutATimedWriteHandingTheWriteBack() {
        Put rejected = new Put("c", 3);
        assertThatThrownBy(() -> channel.write(rejected, Duration.ofMillis(20)))
            .isInstanceOf(WriteTimeoutException.class)
            .hasMessageContaining("'small' stayed full")
            .satisfies(e -> assertThat(((WriteTimeoutException) e).<Put>write()).isSameAs(rejected));
    }

    @Test
    void shouldAcceptATimedWriteWhenTheQueueDrainsWithinTheTimeout() throws Exception {
        CompletableFuture<WriteHandle<Long>> writer = CompletableFuture.supplyAsync(
            () -> channel.write(new Put("c", 3), Duration.ofSeconds(30)));
        channel.resume();
        WriteHandle<Long> handle = writer.get(30, TimeUnit.SECONDS);
        assertThat(handle.await(DurabilityLevel.APPLIED)).isEqualTo(3L);
    }

    @Test
    void shouldBlockAPlainWriteUntilThereIsSpace() throws Exception {
        CompletableFuture<WriteHandle<Long>> result = new CompletableFuture<>();
        Thread writer = new Thread(() -> result.complete(channel.write(new Put("c", 3))), "blocked-writer");
        writer.start();
        Await.blocked(writer);
        assertThat(result).isNotDone();

        channel.resume();
        assertThat(result.get(30, TimeUnit.SECONDS).await(DurabilityLevel.APPLIED)).isEqualTo(3L);
        writer.join();
    }

    @Test
    void shouldAcceptWritesAgainAfterTheQueueDrains() {
        channel.resume();
        Await.until("the channel to drain", () -> channel.stats().queueDepth() == 0);
        assertThat(channel.tryWrite(new Put("c", 3)).await(DurabilityLevel.APPLIED)).isEqualTo(3L);
        assertThat(channel.tryPublish(new Put("d", 4))).isTrue();
    }
}
