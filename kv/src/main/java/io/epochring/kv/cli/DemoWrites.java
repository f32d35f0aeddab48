package io.epochring.kv.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo's puts, the same for every system that runs them (EpochRing, and a peer it is compared
 * with): keys are split between producers (key {@code k} belongs to producer
 * {@code k % producers}), each producer picks its own keys from a random sequence seeded by its
 * number, and values are a function of (producer, write index). Nothing is kept: names and values
 * are built anew on each call.
 */
final class DemoWrites {

    /** {@code key-} and eight digits: the demo allows at most 100,000,000 keys. */
    static final int KEY_LENGTH = 12;
    private static final byte[] PREFIX = "key-".getBytes(StandardCharsets.US_ASCII);

    /** Receives one producer's puts, in order. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param index the write's number among its producer's writes, from 0
         * @param k     the key's index
         */
        void put(int index, int k, byte[] key, byte[] value) throws Exception;
    }

    /** What one producer thread does, given its number. */
    @FunctionalInterface
    interface Producer {
        void run(int producer) throws Exception;
    }

    private final int keyCount;
    private final int producers;
    private final int valueSize;

    DemoWrites(int keyCount, int producers, int valueSize) {
        this.keyCount = keyCount;
        this.producers = producers;
        this.valueSize = valueSize;
    }

    int keyCount() {
        return keyCount;
    }

    int producers() {
        return producers;
    }

    int valueSize() {
        return valueSize;
    }

    /** @return how many keys producer {@code p} owns */
    int keysOf(int producer) {
        return (keyCount - producer + producers - 1) / producers;
    }

    /** @return the key index of producer {@code p}'s {@code n}-th own key */
    int keyIndex(int producer, int n) {
        return producer + n * producers;
    }

    /** @return the owner of key {@code k} */
    int ownerOf(int k) {
        return k % producers;
    }

    /** @return the name of key {@code k}, {@code key-%08d} */
    byte[] key(int k) {
        byte[] key = new byte[KEY_LENGTH];
        System.arraycopy(PREFIX, 0, key, 0, PREFIX.length);
        for (int i = KEY_LENGTH - 1, rest = k; i >= PREFIX.length; i--, rest /= 10) {
            key[i] = (byte) ('0' + rest % 10);
        }
        return key;
    }

    /** @return the value of producer {@code p}'s write number {@code index}: its first 8 bytes say which write it is */
    byte[] value(int producer, int index) {
        byte[] value = new byte[valueSize];
        long stamp = ((long) producer << 32) | (index & 0xffffffffL);
        for (int i = 0; i < valueSize; i++) {
            value[i] = i < Long.BYTES ? (byte) (stamp >>> (56 - 8 * i)) : (byte) (index * 31 + i * 7 + producer);
        }
        return value;
    }

    /** Hands producer {@code p}'s first {@code count} puts to {@code sink}, in order. */
    void generate(int producer, int count, Sink sink) throws Exception {
        SplittableRandom random = new SplittableRandom(0x5eedL * 31 + producer);
        int own = keysOf(producer);
        for (int i = 0; i < count; i++) {
            int k = keyIndex(producer, random.nextInt(own));
            sink.put(i, k, key(k), value(producer, i));
        }
    }

    /**
     * Runs {@code producer} on one thread per producer, released together so none gets a head
     * start, and returns when all are done.
     *
     * @throws ExecutionException the first producer's failure
     */
    void runProducers(String threadName, Producer producer) throws InterruptedException, ExecutionException {
        ExecutorService threads = Executors.newFixedThreadPool(producers, r -> new Thread(r, threadName));
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int number = p;
                running.add(threads.submit(() -> {
                    go.await();
                    producer.run(number);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> each : running) {
                each.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
