package io.epochring.bench;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.ProducerType;

/**
 * The ceiling: a bare Disruptor ring, configured like EpochRing's (multi-producer, since the
 * coordinator takes writes from any thread, or single-producer to match a coordinator built with
 * {@code singleProducer(true)}; the same wait strategy), with one empty handler. Nothing any
 * coordinator built on this ring does can be faster.
 */
public final class CeilingRing implements AutoCloseable {

    private final RingBuffer<Event> ring;
    private final BatchEventProcessor<Event> processor;
    private final Sequence processed;
    private final Thread consumer;

    public CeilingRing(int ringSize, WaitStrategy waitStrategy) {
        this(ringSize, waitStrategy, ProducerType.MULTI);
    }

    public CeilingRing(int ringSize, WaitStrategy waitStrategy, ProducerType producers) {
        this(ringSize, waitStrategy, producers, () -> { });
    }

    /** @param onConsumerStart runs first on the handler's thread (to pin it to a core, as the rows it is compared with do) */
    public CeilingRing(int ringSize, WaitStrategy waitStrategy, ProducerType producers, Runnable onConsumerStart) {
        ring = RingBuffer.create(producers, Event::new, ringSize, waitStrategy);
        processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), new EmptyHandler());
        processed = processor.getSequence();
        ring.addGatingSequences(processed);
        consumer = new Thread(() -> {
            onConsumerStart.run();
            processor.run();
        }, "ceiling-handler");
        consumer.setDaemon(true);
        consumer.start();
    }

    /**
     * Publishes {@code value} if there is a free slot.
     *
     * @return the slot's sequence, or -1 when the ring is full
     */
    public long tryPublish(long value) {
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException e) {
            return -1;
        }
        ring.get(sequence).value = value;
        ring.publish(sequence);
        return sequence;
    }

    /**
     * Publishes {@code count} values with one claim of {@code count} slots, if there are that many free.
     *
     * @return the last slot's sequence, or -1 when the ring lacks room for all of them
     */
    public long tryPublishBatch(int count) {
        long last;
        try {
            last = ring.tryNext(count);
        } catch (InsufficientCapacityException e) {
            return -1;
        }
        long first = last - count + 1;
        for (long sequence = first; sequence <= last; sequence++) {
            ring.get(sequence).value = sequence;
        }
        ring.publish(first, last);
        return last;
    }

    /**
     * One invocation of a ceiling row: publishes {@code batch} values (backing off while the ring
     * is full), then waits until the handler has processed the last of them.
     *
     * @return the last value's sequence
     */
    long publishAndAwait(int batch, Backoff backoff) {
        long sequence = -1;
        for (int i = 0; i < batch; i++) {
            backoff.reset();
            while ((sequence = tryPublish(i)) < 0) {
                backoff.idle();
            }
        }
        awaitProcessed(sequence, backoff);
        return sequence;
    }

    /** Waits until the handler has passed {@code sequence}. */
    void awaitProcessed(long sequence, Backoff backoff) {
        backoff.reset();
        while (processed.get() < sequence) {
            backoff.idle();
        }
    }

    @Override
    public void close() {
        processor.halt();
        try {
            consumer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (consumer.isAlive()) {
            throw new IllegalStateException("the ceiling ring's handler thread did not stop within 10 s");
        }
    }

    /** A slot: the value a write would carry. */
    static final class Event {
        long value;
    }

    /** Does nothing: the ceiling measures the ring alone. */
    private static final class EmptyHandler implements EventHandler<Event> {
        @Override
        public void onEvent(Event event, long sequence, boolean endOfBatch) {
            // intentionally empty
        }
    }
}
