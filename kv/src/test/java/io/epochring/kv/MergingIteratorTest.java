package io.epochring.kv;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import static io.epochring.kv.Bytes.b;
import static io.epochring.kv.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;

class MergingIteratorTest {

    @Test
    void shouldLetTheNewestSourceWinAndKeepKeyOrder() {
        Iterator<KvEntry> newest = List.of(entry("b", "new", 9), tombstone("d", 8)).iterator();
        Iterator<KvEntry> middle = List.of(entry("a", "mid", 5), entry("b", "mid", 6)).iterator();
        Iterator<KvEntry> oldest = List.of(entry("a", "old", 1), entry("c", "old", 2), entry("d", "old", 3), entry("e", "old", 4)).iterator();

        List<String> merged = new ArrayList<>();
        new MergingIterator(List.of(newest, middle, oldest)).forEachRemaining(e -> merged.add(s(e.key()) + "=" + s(e.value())));

        assertThat(merged).containsExactly("a=mid", "b=new", "c=old", "d=null", "e=old");
    }

    @Test
    void shouldMergeNothingIntoNothing() {
        assertThat(new MergingIterator(List.of(Collections.emptyIterator(), Collections.emptyIterator())).hasNext()).isFalse();
    }

    private static KvEntry entry(String key, String value, long sequence) {
        return new KvEntry(b(key), b(value), sequence);
    }

    private static KvEntry tombstone(String key, long sequence) {
        return new KvEntry(b(key), null, sequence);
    }
}
