package io.epochring;

/**
 * An inclusive range of epochs, the writes covered by one flush. An empty range has
 * {@code first == last + 1}.
 *
 * @param first first epoch in the range
 * @param last  last epoch in the range
 */
public record EpochRange(long first, long last) {

    public EpochRange {
        if (first < 1 || last < first - 1) {
            throw new IllegalArgumentException("bad epoch range [" + first + ", " + last + "]: epochs start at 1 and last >= first - 1");
        }
    }

    /**
     * @param afterEpoch the last epoch before the empty range
     * @return the empty range that follows {@code afterEpoch}
     */
    public static EpochRange emptyAfter(long afterEpoch) {
        return new EpochRange(afterEpoch + 1, afterEpoch);
    }

    public boolean isEmpty() {
        return last < first;
    }

    /** @return how many epochs the range holds */
    public long size() {
        return last - first + 1;
    }

    public boolean contains(long epoch) {
        return epoch >= first && epoch <= last;
    }
}
