package io.epochring;

import io.epochring.testing.Put;
import io.epochring.testing.RecordingDelta;
import io.epochring.testing.TestFlusher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 8 producers on 3 channels, 100,000 writes, every way to write mixed in; every
 * accepted write applies exactly once, each producer's order holds, epochs are contiguous. In both
 * threading modes, without a linger and with one (the ring thread then takes writes in batches).
 */
class ManyProducersTest {

    private static final int PRODUCERS = 8;
    private static final int PER_PRODUCER = 12_500;

    static Stream<Arguments> shapes() {
        return Stream.of(ThreadingMode.values())
                     .flatMap(mode -> Stream.of(Arguments.of(mode, Duration.ZERO), Arguments.of(mode, Duration.ofNanos(5_000))));
    }

    @ParameterizedTest(name = "{0}, linger {1}")
    @MethodSource("shapes")
    void shouldApplyEveryWriteOnceInProducerOrderWithContiguousEpochs(ThreadingMode mode, Duration linger) throws Exception {
        RecordingDelta delta = new RecordingDelta();
        var ring = EpochRing.builder(delta, new TestFlusher()).threadingMode(mode).linger(linger).ringSize(1024)
                            .channel("c0", 256).channel("c1", 256).channel("c2", 64)
                            .flushInterval(Duration.ofMillis(5)).build().start();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        CountDownLatch go = new CountDownLatch(1);
        long[] accepted = new long[PRODUCERS];
        try {
            List<Future<?>> producers = new java.util.ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    Channel<Put, Long> channel = ring.channel("c" + producer % 3);
                    go.await();
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        Put put = new Put("p" + producer, i);
                        switch (i % 4) {
                            case 0 -> channel.publish(put);
                            case 1 -> channel.write(put);
                            case 2 -> {
                                while (!channel.tryPublish(put)) {
                                    Thread.onSpinWait();
                                }
                            }
                            default -> channel.write(put, Duration.ofSeconds(60));
                        }
                        accepted[producer]++;
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> producer : producers) {
                producer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            ring.stop();
        }

        List<RecordingDelta.Applied> applied = delta.applied();
        assertThat(applied).hasSize(PRODUCERS * PER_PRODUCER);
        Map<String, Long> nextPerProducer = new HashMap<>();
        for (int i = 0; i < applied.size(); i++) {
            RecordingDelta.Applied a = applied.get(i);
            assertThat(a.epoch()).isEqualTo(i + 1);
            long expected = nextPerProducer.getOrDefault(a.write().key(), 0L);
            assertThat(a.write().value()).as("order of %s", a.write().key()).isEqualTo(expected);
            nextPerProducer.put(a.write().key(), expected + 1);
        }
        for (int p = 0; p < PRODUCERS; p++) {
            assertThat(nextPerProducer.get("p" + p)).isEqualTo(accepted[p]);
        }
        long submitted = ring.channels().stream().mapToLong(c -> c.stats().submitted()).sum();
        assertThat(submitted).isEqualTo(PRODUCERS * PER_PRODUCER);
    }
}
