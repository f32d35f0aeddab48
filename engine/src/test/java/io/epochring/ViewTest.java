package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.Put;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Views and subscriptions. */
class ViewTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldSendTheCurrentViewOnSubscribeThenOneUpdatePerFreezeAndPerFlush() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).flushInterval(Duration.ofHours(1)).build().start()) {
            ViewSubscription<Map<String, Long>, Map<String, Long>> views = ring.subscribe();
            View<Map<String, Long>, Map<String, Long>> first = views.next(WAIT);
            assertThat(first.version()).isZero();

            ring.channel("default").write(new Put("a", 1));
            ring.flush().await(DurabilityLevel.WRITTEN);

            View<Map<String, Long>, Map<String, Long>> frozen = views.next(WAIT);
            assertThat(frozen.version()).isEqualTo(1);
            assertThat(frozen.frozen()).singleElement().satisfies(f -> assertThat(f).containsEntry("a", 1L));
            View<Map<String, Long>, Map<String, Long>> flushed = views.next(WAIT);
            assertThat(flushed.version()).isEqualTo(2);
            assertThat(views.poll()).isNull();
        }
    }

    @Test
    void shouldShowFrozenDeltasNewestFirstThenMoveThemIntoTheSnapshot() throws Exception {
        TestFlusher flusher = new TestFlusher();
        try (var ring = EpochRing.builder(new MapDelta(), flusher).flushInterval(Duration.ofHours(1)).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            flusher.block();
            channel.write(new Put("a", 1));
            ring.flush();
            flusher.awaitFlushStarted();
            channel.write(new Put("b", 2));
            ring.flush().await(DurabilityLevel.APPLIED);

            View<Map<String, Long>, Map<String, Long>> view = ring.view();
            assertThat(view.frozen()).hasSize(2);
            assertThat(view.frozen().get(0)).containsOnlyKeys("b");
            assertThat(view.frozen().get(1)).containsOnlyKeys("a");
            assertThat(view.snapshot()).isEmpty();
            assertThat(view.lastWritten()).isNull();

            flusher.release();
            ring.flush().await(DurabilityLevel.WRITTEN);
            view = ring.view();
            assertThat(view.frozen()).isEmpty();
            assertThat(view.snapshot()).containsOnlyKeys("a", "b");
            assertThat(view.lastWritten()).containsOnlyKeys("b");
        }
    }

    @Test
    void shouldUpdateTheViewBeforeWrittenMovesSoWrittenWaitersSeeTheirData() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            for (int i = 0; i < 500; i++) {
                WriteHandle<Long> write = channel.write(new Put("k" + i, i));
                ring.flush();
                write.future(DurabilityLevel.WRITTEN).join();
                assertThat(ring.view().snapshot()).containsEntry("k" + i, (long) i);
            }
        }
    }

    @Test
    void shouldTellASubscriberThatFellBehindAndLetItResubscribe() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).flushInterval(Duration.ofHours(1)).build().start()) {
            ViewSubscription<Map<String, Long>, Map<String, Long>> laggard = ring.subscribe();
            for (int i = 0; i < ViewSubscription.BUFFER; i++) {
                ring.channel("default").write(new Put("k" + i, i));
                ring.flush().await(DurabilityLevel.WRITTEN);
            }
            assertThatThrownBy(laggard::poll).isInstanceOf(MessageLostException.class).hasMessageContaining("resubscribe");
            assertThatThrownBy(() -> laggard.next(WAIT)).isInstanceOf(MessageLostException.class);

            ViewSubscription<Map<String, Long>, Map<String, Long>> fresh = ring.subscribe();
            assertThat(fresh.next(WAIT).snapshot()).hasSize(ViewSubscription.BUFFER);
            fresh.close();
        }
    }

    @Test
    void shouldShowAWriteThroughTheLiveViewOnceApplied() {
        try (var ring = EpochRing.builder(new MapDelta(), new TestFlusher()).build().start()) {
            Channel<Put, Long> channel = ring.channel("default");
            for (int i = 0; i < 200; i++) {
                String key = "k" + i;
                channel.write(new Put(key, i)).await(DurabilityLevel.APPLIED);
                View<Map<String, Long>, Map<String, Long>> view = ring.view();
                boolean visible = view.live().containsKey(key)
                                  || view.frozen().stream().anyMatch(f -> f.containsKey(key))
                                  || view.snapshot().containsKey(key);
                assertThat(visible).as("%s visible", key).isTrue();
            }
        }
    }
}
