package io.epochring.kv;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges sorted entry sources, newest first, into one sorted stream with one entry per key: where
 * several sources hold a key, the newest source's entry wins. Tombstones are passed on, so the
 * caller decides whether a deleted key is skipped.
 */
final class MergingIterator implements Iterator<KvEntry> {

    private final PriorityQueue<Head> heads = new PriorityQueue<>();
    private KvEntry next;

    /** @param newestFirst sources ordered newest to oldest */
    MergingIterator(List<? extends Iterator<KvEntry>> newestFirst) {
        for (int age = 0; age < newestFirst.size(); age++) {
            Iterator<KvEntry> source = newestFirst.get(age);
            if (source.hasNext()) {
                heads.add(new Head(source.next(), source, age));
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !heads.isEmpty()) {
            Head winner = heads.poll();
            next = winner.entry;
            advance(winner);
            // Older sources' entries for the same key are shadowed.
            while (!heads.isEmpty() && MemSegment.KEY_ORDER.compare(heads.peek().entry.key(), next.key()) == 0) {
                advance(heads.poll());
            }
        }
        return next != null;
    }

    @Override
    public KvEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KvEntry entry = next;
        next = null;
        return entry;
    }

    private void advance(Head head) {
        if (head.source.hasNext()) {
            heads.add(new Head(head.source.next(), head.source, head.age));
        }
    }

    private record Head(KvEntry entry, Iterator<KvEntry> source, int age) implements Comparable<Head> {
        @Override
        public int compareTo(Head other) {
            int byKey = MemSegment.KEY_ORDER.compare(entry.key(), other.entry.key());
            return byKey != 0 ? byKey : Integer.compare(age, other.age);
        }
    }
}
