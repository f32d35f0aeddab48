package io.epochring.bench.peer;

import io.epochring.EpochRange;
import io.epochring.Flusher;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A test flusher: records each flushed delta with its range, counts syncs, can fail every flush. */
final class RecordingFlusher implements Flusher<List<String>, Integer> {

    record Flushed(List<String> frozen, EpochRange range) {
    }

    private final List<Flushed> flushed = new CopyOnWriteArrayList<>();
    private final AtomicInteger syncs = new AtomicInteger();
    private volatile boolean failing;

    @Override
    public Integer snapshot() {
        return flushed.size();
    }

    @Override
    public Integer flush(List<String> frozen, EpochRange range) {
        if (failing) {
            throw new IllegalStateException("storage is down (test)");
        }
        flushed.add(new Flushed(List.copyOf(frozen), range));
        return flushed.size();
    }

    @Override
    public void sync() {
        syncs.incrementAndGet();
    }

    void failEveryFlush() {
        failing = true;
    }

    List<Flushed> flushed() {
        return List.copyOf(flushed);
    }

    int syncs() {
        return syncs.get();
    }
}
