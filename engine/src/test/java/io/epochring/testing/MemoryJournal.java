package io.epochring.testing;

import io.epochring.Journal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * An in-memory journal for engine tests: keeps records and checkpoints in lists, can be told to
 * throw (a {@link RuntimeException} or an {@link Error}) from its next append, commit or
 * checkpoint, and can be "crashed": {@link #afterCrash()} is a new journal holding exactly what a
 * reopened journal would hold after a process crash now (committed records and checkpoints).
 * Like a real journal it keeps an end marker apart from its records (the last committed epoch, the
 * last checkpoint's durable epoch), and losing records ({@link #loseRecordsAbove}, {@link
 * #loseCheckpointsAbove}) leaves the marker where it was, as deleting or truncating a file would.
 * It can declare a record size limit ({@link #maxPayloadLength(int)}), which it enforces as a real
 * journal would: a longer payload is refused with an {@link IllegalArgumentException}.
 */
public final class MemoryJournal implements Journal {

    /** One write record. */
    public record Record(long epoch, String channel, byte[] payload, boolean rejected) {
    }

    private final List<Record> records = new ArrayList<>();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private int committed;
    private long lossEnd;
    private long markedEpoch;
    private long markedDurable;
    private boolean keepsMarker = true;
    private final List<Long> acceptedLosses = new ArrayList<>();
    private volatile Supplier<? extends Throwable> appendFailure;
    private volatile Supplier<? extends Throwable> commitFailure;
    private volatile Supplier<? extends Throwable> checkpointFailure;
    private volatile LongConsumer checkpointObserver = epoch -> { };
    private volatile boolean closed;
    private volatile int maxPayloadLength = Integer.MAX_VALUE;

    @Override
    public synchronized Checkpoint lastCheckpoint() {
        return checkpoints.isEmpty() ? Checkpoint.NONE : checkpoints.get(checkpoints.size() - 1);
    }

    @Override
    public synchronized long lastEpoch() {
        long last = records.isEmpty() ? 0 : records.get(records.size() - 1).epoch();
        return Math.max(Math.max(last, lossEnd), lastCheckpoint().writtenEpoch());
    }

    @Override
    public synchronized Optional<RecordedEnd> recordedEnd() {
        return keepsMarker ? Optional.of(new RecordedEnd(markedEpoch, markedDurable)) : Optional.empty();
    }

    @Override
    public synchronized void acceptLoss(long continueAfter) {
        acceptedLosses.add(continueAfter);
        lossEnd = Math.max(lossEnd, continueAfter);
        markedEpoch = lastEpoch();
        markedDurable = lastCheckpoint().durableEpoch();
        keepsMarker = true;
    }

    @Override
    public long replay(long afterEpoch, ReplayHandler handler) {
        List<Record> copy;
        synchronized (this) {
            copy = List.copyOf(records);
        }
        long replayed = 0;
        for (Record record : copy) {
            if (record.epoch() <= afterEpoch) {
                continue;
            }
            if (record.rejected()) {
                handler.onRejected(record.epoch(), record.channel());
            } else {
                handler.onWrite(record.epoch(), record.channel(), new UnsafeBuffer(record.payload()), 0, record.payload().length);
                replayed++;
            }
        }
        return replayed;
    }

    @Override
    public void append(long epoch, String channel, DirectBuffer payload, int offset, int length) {
        add(epoch, channel, payload, offset, length, false);
    }

    @Override
    public void appendRejected(long epoch, String channel, DirectBuffer payload, int offset, int length) {
        add(epoch, channel, payload, offset, length, true);
    }

    private synchronized void add(long epoch, String channel, DirectBuffer payload, int offset, int length, boolean rejected) {
        Faults.raise(appendFailure);
        if (length > maxPayloadLength) {
            throw new IllegalArgumentException("payload of " + length + " bytes; this journal records at most " + maxPayloadLength);
        }
        byte[] bytes = new byte[length];
        payload.getBytes(offset, bytes);
        records.add(new Record(epoch, channel, bytes, rejected));
    }

    @Override
    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    /** Declares (and enforces) the longest payload this journal records; set before the coordinator starts. */
    public MemoryJournal maxPayloadLength(int maxPayloadLength) {
        this.maxPayloadLength = maxPayloadLength;
        return this;
    }

    @Override
    public synchronized void commit() {
        Faults.raise(commitFailure);
        committed = records.size();
        if (committed > 0) {
            markedEpoch = records.get(committed - 1).epoch();
        }
    }

    @Override
    public void checkpoint(long durableEpoch, long writtenEpoch) {
        Faults.raise(checkpointFailure);
        checkpointObserver.accept(durableEpoch);
        synchronized (this) {
            checkpoints.add(new Checkpoint(durableEpoch, writtenEpoch));
            markedDurable = durableEpoch;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return a journal holding what would be found after a crash now: committed records and checkpoints */
    public synchronized MemoryJournal afterCrash() {
        MemoryJournal reopened = new MemoryJournal();
        reopened.maxPayloadLength = maxPayloadLength;
        reopened.records.addAll(records.subList(0, committed));
        reopened.committed = committed;
        reopened.checkpoints.addAll(checkpoints);
        reopened.lossEnd = lossEnd;
        reopened.markedEpoch = markedEpoch;
        reopened.markedDurable = markedDurable;
        reopened.keepsMarker = keepsMarker;
        return reopened;
    }

    /** Drops every record above {@code epoch}, keeping the end marker: a truncated journal file. */
    public synchronized MemoryJournal loseRecordsAbove(long epoch) {
        records.removeIf(record -> record.epoch() > epoch);
        committed = Math.min(committed, records.size());
        return this;
    }

    /** Drops every checkpoint above {@code durableEpoch}, keeping the end marker. */
    public synchronized MemoryJournal loseCheckpointsAbove(long durableEpoch) {
        checkpoints.removeIf(checkpoint -> checkpoint.durableEpoch() > durableEpoch);
        return this;
    }

    /** Drops the end marker: a journal that keeps none, or whose marker file was deleted. */
    public synchronized MemoryJournal loseEndMarker() {
        keepsMarker = false;
        return this;
    }

    /** @return the {@code continueAfter} of every {@link #acceptLoss} call, in order */
    public synchronized List<Long> acceptedLosses() {
        return List.copyOf(acceptedLosses);
    }

    /** Every append from now on throws what {@code failure} supplies (null: none). */
    public void failAppends(Supplier<? extends Throwable> failure) {
        appendFailure = failure;
    }

    /** Every commit from now on throws what {@code failure} supplies (null: none). */
    public void failCommits(Supplier<? extends Throwable> failure) {
        commitFailure = failure;
    }

    /** Every checkpoint from now on throws what {@code failure} supplies (null: none). */
    public void failCheckpoints(Supplier<? extends Throwable> failure) {
        checkpointFailure = failure;
    }

    /** Runs {@code observer} with each checkpoint's durable epoch just before it is recorded. */
    public void observeCheckpoints(LongConsumer observer) {
        checkpointObserver = observer;
    }

    public synchronized List<Record> records() {
        return List.copyOf(records);
    }

    public synchronized List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    public boolean isClosed() {
        return closed;
    }
}
