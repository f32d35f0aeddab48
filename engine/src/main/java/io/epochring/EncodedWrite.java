package io.epochring;

import org.agrona.ExpandableArrayBuffer;

/**
 * A write as the journal stage appends it (only with a journal): encoded by the apply stage before
 * it applies the write, with the apply's outcome, so the journal records what apply did. A ring
 * slot keeps its own instance and reuses it lap after lap, so encoding allocates nothing once the
 * buffer has grown to the largest write.
 */
final class EncodedWrite {

    /** Applied: replay applies it again. */
    static final byte APPLIED = 0;
    /** {@link Delta#apply} threw: journaled as rejected, so replay rejects it again without applying. */
    static final byte REJECTED = 1;
    /**
     * The codec could not encode it, or its encoding is longer than the journal can record: not
     * applied, and journaled as rejected with no payload, so the journal still accounts for its
     * epoch (a flushed range may end at it).
     */
    static final byte NOT_ENCODED = 2;
    /** Refused after the coordinator failed: neither applied nor journaled (nothing is flushed after a fault). */
    static final byte REFUSED = 3;

    private static final int INITIAL_CAPACITY = 128;

    ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
    int length;
    byte outcome;

    /**
     * Replaces the buffer with a small one: after a write too large to journal, the slot would
     * otherwise keep a buffer of that size for every later lap.
     */
    void dropBuffer() {
        buffer = new ExpandableArrayBuffer(INITIAL_CAPACITY);
        length = 0;
    }
}
