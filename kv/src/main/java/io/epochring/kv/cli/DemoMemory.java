package io.epochring.kv.cli;

/**
 * The demo's heap, estimated from its options before anything starts, so that options this JVM
 * cannot hold are refused with the option to lower instead of ending in an
 * {@link OutOfMemoryError}. It also sizes the ring and the producers' channels for the value size,
 * so that the writes waiting in them take about {@link #IN_FLIGHT_BYTES} whatever the values are.
 *
 * <pre>
 *  the model          --keys x BYTES_PER_KEY (the index of each key's last write)
 *  the deltas         DELTAS x --flush-bytes: the live delta, one being flushed, two waiting for the
 *                     flush thread (no delta holds more than every key once)
 *  writes in flight   ring slots x (a put, and its journal encoding, which the slot keeps)
 *                     + producers x channel capacity x a put
 *  the rest           BASE: RocksDB's and Chronicle's objects, histograms, buffers
 * </pre>
 *
 * Each term is an upper estimate. The sum must fit in {@link #HEAP_SHARE} of the JVM's maximum heap;
 * the rest is the garbage collector's room to work.
 */
final class DemoMemory {

    /** What the ring and the channels may hold in writes, at most (the ring keeps at least 16 slots). */
    static final long IN_FLIGHT_BYTES = 64L << 20;
    /** The ring's slots for small values (the store's default). */
    static final int MAX_RING_SIZE = 8192;
    static final int MIN_RING_SIZE = 16;
    /** A producer's channel capacity for small values: short, so sampled latencies include little queueing. */
    static final int MAX_CHANNEL_CAPACITY = 512;
    static final int DELTAS = 4;
    static final long BASE = 64L << 20;
    /** A put's objects besides its key and value bytes: the write, two array headers, a slot's or queue's reference. */
    static final long WRITE_OVERHEAD = 96;
    /** A delta entry besides its key and value bytes, as the store's delta counts it. */
    static final long ENTRY_OVERHEAD = 112;
    /** The journal encoding's header: kind and key length. */
    static final long ENCODING_HEADER = 5;
    static final double HEAP_SHARE = 0.8;
    /** Below this, lowering --flush-bytes is no advice worth giving: flushes that small are mostly overhead. */
    static final long MIN_SUGGESTED_FLUSH_BYTES = 1L << 20;

    private final long keys;
    private final long flushBytes;
    private final long valueSize;
    final int ringSize;
    final int channelCapacity;
    final long model;
    final long deltas;
    final long inFlight;

    DemoMemory(long keys, int producers, long valueSize, long flushBytes) {
        this.keys = keys;
        this.flushBytes = flushBytes;
        this.valueSize = valueSize;
        long put = valueSize + DemoWrites.KEY_LENGTH + WRITE_OVERHEAD;
        // A slot's encoding buffer grows by half again when too small, so it may be 1.5 times the encoding.
        long slot = put + (ENCODING_HEADER + DemoWrites.KEY_LENGTH + valueSize) * 3 / 2;
        this.ringSize = Math.max(MIN_RING_SIZE, Integer.highestOneBit((int) Math.min(MAX_RING_SIZE, IN_FLIGHT_BYTES / slot)));
        this.channelCapacity = (int) Math.max(1, Math.min(MAX_CHANNEL_CAPACITY, IN_FLIGHT_BYTES / producers / put));
        this.inFlight = ringSize * slot + (long) producers * channelCapacity * put;
        this.model = keys * DemoModel.BYTES_PER_KEY;
        long entry = ENTRY_OVERHEAD + DemoWrites.KEY_LENGTH + valueSize;
        // A delta is cut once it reaches --flush-bytes, so it may pass it by one entry.
        this.deltas = DELTAS * (Math.min(flushBytes, keys * entry) + entry);
    }

    /** @return the heap the demo may need, in bytes */
    long total() {
        return BASE + model + deltas + inFlight;
    }

    /**
     * @param maxHeap the JVM's maximum heap ({@link Runtime#maxMemory()})
     * @return null when the demo fits, else why not and what to lower
     */
    String refusal(long maxHeap) {
        long budget = (long) (maxHeap * HEAP_SHARE);
        long total = total();
        if (total <= budget) {
            return null;
        }
        // The larger of the two terms the options control is the one to lower, when lowering it alone can make the demo fit.
        String lower;
        if (deltas >= model) {
            long most = (budget - (total - deltas)) / DELTAS - (ENTRY_OVERHEAD + DemoWrites.KEY_LENGTH + valueSize);
            lower = most >= MIN_SUGGESTED_FLUSH_BYTES ? "lower --flush-bytes to at most " + Format.bytes(most) + ", or " : "";
        } else {
            long most = (budget - (total - model)) / DemoModel.BYTES_PER_KEY;
            lower = most >= 1_000 ? "lower --keys to at most " + Format.count(most) + ", or " : "";
        }
        long neededMiB = (long) Math.ceil(total / HEAP_SHARE / (1 << 20));
        return "the demo would need about " + Format.bytes(total) + " of heap with these options (" + Format.bytes(deltas)
               + " for up to " + DELTAS + " deltas of --flush-bytes " + Format.bytes(flushBytes) + ", " + Format.bytes(model) + " for --keys "
               + Format.count(keys) + ", " + Format.bytes(inFlight) + " for writes in flight, " + Format.bytes(BASE) + " for the rest), more than the "
               + Format.bytes(budget) + " it may use here (" + Math.round(HEAP_SHARE * 100) + "% of this JVM's maximum heap of "
               + Format.bytes(maxHeap) + "): " + lower + "give java more heap (java -Xmx" + neededMiB + "m or more)";
    }
}
