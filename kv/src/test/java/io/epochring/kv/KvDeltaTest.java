package io.epochring.kv;

import io.epochring.EpochRange;
import io.epochring.View;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static io.epochring.kv.Bytes.b;
import static io.epochring.kv.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvDeltaTest {

    private final KvDelta delta = new KvDelta();

    @Test
    void shouldKeepTheLastWritePerKeyAndRecordDeletesAsTombstones() {
        delta.apply(1, KvWrite.put(b("a"), b("1")));
        delta.apply(2, KvWrite.put(b("a"), b("2")));
        delta.apply(3, KvWrite.put(b("b"), b("x")));
        delta.apply(4, KvWrite.delete(b("b")));

        assertThat(s(delta.view().get(b("a")).value())).isEqualTo("2");
        assertThat(delta.view().get(b("a")).sequence()).isEqualTo(2);
        assertThat(delta.view().get(b("b")).isTombstone()).isTrue();
        assertThat(delta.view().get(b("c"))).isNull();
        assertThat(delta.view().size()).isEqualTo(2);
    }

    @Test
    void shouldFreezeBySwappingInAnEmptySegmentAndKeepTheSequence() {
        delta.apply(5, KvWrite.put(b("a"), b("1")));
        KvSegment live = delta.view();

        KvSegment frozen = delta.freeze();

        assertThat(frozen).isSameAs(live);
        assertThat(delta.view()).isNotSameAs(frozen);
        assertThat(delta.view().size()).isZero();
        assertThat(delta.estimatedSizeBytes()).isZero();
        assertThat(delta.lastSequence()).isEqualTo(5);
        assertThatThrownBy(() -> delta.apply(5, KvWrite.put(b("b"), b("2"))))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("epoch 5 arrived after sequence 5");
        assertThat(delta.apply(6, KvWrite.put(b("b"), b("2")))).isEqualTo(6L);
        assertThat(delta.appliedCount()).isEqualTo(2);
        assertThat(frozen.get(b("b"))).isNull();
    }

    @Test
    void shouldEstimateSizeFromKeysAndValuesAndReplacements() {
        delta.apply(1, KvWrite.put(b("key"), new byte[1000]));
        long one = delta.estimatedSizeBytes();
        delta.apply(2, KvWrite.put(b("key"), new byte[10]));
        assertThat(one).isGreaterThan(1000);
        assertThat(delta.estimatedSizeBytes()).isEqualTo(one - 990);
    }

    @Test
    void shouldAnswerTheSameBeforeAndAfterSealing() {
        for (int i = 0; i < 100; i++) {
            delta.apply(i + 1, i % 10 == 0 ? KvWrite.delete(b(String.format("k%03d", i))) : KvWrite.put(b(String.format("k%03d", i)), b("v" + i)));
        }
        MemSegment frozen = (MemSegment) delta.freeze();
        List<String> before = scan(frozen, b("k010"), b("k020"));
        KvEntry k55 = frozen.get(b("k055"));

        frozen.seal();

        assertThat(scan(frozen, b("k010"), b("k020"))).isEqualTo(before).hasSize(10).startsWith("k010=null");
        assertThat(frozen.get(b("k055"))).isSameAs(k55);
        assertThat(frozen.get(b("k0555"))).isNull();
        assertThat(frozen.size()).isEqualTo(100);
        assertThat(scan(frozen, null, null)).hasSize(100);
        assertThat(scan(frozen, b("k095"), null)).hasSize(5);
        assertThat(scan(frozen, null, b("k005"))).hasSize(5);
        assertThat(scan(frozen, b("k050"), b("k040"))).isEmpty();
    }

    @Test
    void shouldOrderKeysAsUnsignedBytesLikeRocksDb() {
        delta.apply(1, KvWrite.put(new byte[] {(byte) 0x80}, b("high")));
        delta.apply(2, KvWrite.put(new byte[] {0x7f}, b("low")));
        delta.apply(3, KvWrite.put(new byte[0], b("empty")));

        Iterator<KvEntry> it = delta.view().scan(null, null);

        assertThat(s(it.next().value())).isEqualTo("empty");
        assertThat(s(it.next().value())).isEqualTo("low");
        assertThat(s(it.next().value())).isEqualTo("high");
    }

    @Test
    void shouldAddToACounterAcrossFreezesAndReturnTheNewValue() {
        assertThat(delta.apply(1, KvWrite.add(b("c"), 5))).isEqualTo(5L);
        assertThat(delta.apply(2, KvWrite.add(b("c"), -2))).isEqualTo(3L);
        delta.freeze();
        delta.apply(3, KvWrite.put(b("other"), b("x")));
        delta.freeze();

        // the live segment no longer has the key: the add reads the newest frozen segment holding it
        assertThat(delta.apply(4, KvWrite.add(b("c"), 10))).isEqualTo(13L);

        KvEntry entry = delta.view().get(b("c"));
        assertThat(entry.value()).isEqualTo(new byte[] {0, 0, 0, 0, 0, 0, 0, 13});
        assertThat(entry.sequence()).isEqualTo(4);
        assertThat(delta.lastSequence()).isEqualTo(4);
    }

    @Test
    void shouldCountFromZeroWhenTheKeyIsAbsentOrDeleted() {
        delta.apply(1, KvWrite.put(b("c"), StoredValue.longBytes(41)));
        assertThat(delta.apply(2, KvWrite.add(b("c"), 1))).isEqualTo(42L);
        delta.apply(3, KvWrite.delete(b("c")));
        delta.freeze();

        assertThat(delta.apply(4, KvWrite.add(b("c"), 7))).isEqualTo(7L);
        assertThat(delta.apply(5, KvWrite.add(b("never"), -3))).isEqualTo(-3L);
    }

    @Test
    void shouldRejectAnAddToAValueThatIsNotACounterAndLeaveTheDeltaAsItWas() {
        delta.apply(1, KvWrite.put(b("c"), b("text")));
        long size = delta.estimatedSizeBytes();

        assertThatThrownBy(() -> delta.apply(2, KvWrite.add(b("c"), 1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("add to key 'c': it holds a 4-byte value (set at sequence 1), not an 8-byte counter");

        assertThat(s(delta.view().get(b("c")).value())).isEqualTo("text");
        assertThat(delta.lastSequence()).isEqualTo(1);
        assertThat(delta.appliedCount()).isEqualTo(1);
        assertThat(delta.estimatedSizeBytes()).isEqualTo(size);
        assertThat(delta.apply(3, KvWrite.add(b("d"), 1))).isEqualTo(1L);
    }

    @Test
    void shouldRejectAnAddThatOverflowsTheCounter() {
        delta.apply(1, KvWrite.add(b("c"), Long.MAX_VALUE));

        assertThatThrownBy(() -> delta.apply(2, KvWrite.add(b("c"), 1)))
            .isInstanceOf(ArithmeticException.class).hasMessageContaining("overflows a long");

        assertThat(delta.apply(3, KvWrite.add(b("c"), -1))).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void shouldAddToWhatRocksDbHoldsWhileReplayingAndThroughTheViewOnceRunning(@TempDir Path dir) throws Exception {
        try (RocksDbFlusher rocks = RocksDbFlusher.open(dir)) {
            // given RocksDB holding epochs 1..3: c = 10, text = "abc", gone = 5
            KvDelta before = new KvDelta();
            before.apply(1, KvWrite.add(b("c"), 10));
            before.apply(2, KvWrite.put(b("text"), b("abc")));
            before.apply(3, KvWrite.put(b("gone"), StoredValue.longBytes(5)));
            KvSnapshot stored = rocks.flush(before.freeze(), new EpochRange(1, 3));

            // when a delta built on it replays epochs above 3, adds read RocksDB as stored
            KvDelta delta = new KvDelta(stored);
            assertThat(delta.apply(4, KvWrite.add(b("c"), 1))).isEqualTo(11L);
            assertThat(delta.apply(5, KvWrite.add(b("r"), 100))).isEqualTo(100L);
            assertThat(delta.apply(6, KvWrite.delete(b("gone")))).isEqualTo(6L);
            KvSegment replayedFrozen = delta.freeze(); // as recovery does at a target's position
            assertThat(delta.apply(7, KvWrite.add(b("c"), 1))).isEqualTo(12L); // from the segment replay froze
            assertThat(delta.apply(8, KvWrite.add(b("gone"), 1))).isEqualTo(1L); // its tombstone shadows RocksDB
            assertThatThrownBy(() -> delta.apply(9, KvWrite.add(b("text"), 1))).isInstanceOf(IllegalArgumentException.class);

            // then once running, adds read through the current view: the replayed segment is in RocksDB now
            KvSnapshot flushed = rocks.flush(replayedFrozen, new EpochRange(4, 6));
            delta.readThrough(() -> new View<>(delta.view(), List.of(), flushed, replayedFrozen, 1));
            assertThat(delta.apply(10, KvWrite.add(b("c"), 1))).isEqualTo(13L); // live
            KvSegment frozen = delta.freeze();
            delta.readThrough(() -> new View<>(delta.view(), List.of(frozen), flushed, replayedFrozen, 2));
            assertThat(delta.apply(11, KvWrite.add(b("c"), 1))).isEqualTo(14L); // the view's frozen segment
            assertThat(delta.apply(12, KvWrite.add(b("r"), 1))).isEqualTo(101L); // the view's snapshot
            assertThat(delta.apply(13, KvWrite.add(b("gone"), 1))).isEqualTo(2L);
        }
    }

    @Test
    void shouldRefuseToReplayAnAddAtAnEpochRocksDbAlreadyHolds(@TempDir Path dir) throws Exception {
        try (RocksDbFlusher rocks = RocksDbFlusher.open(dir)) {
            KvDelta before = new KvDelta();
            before.apply(1, KvWrite.add(b("c"), 1));
            before.apply(2, KvWrite.add(b("c"), 1));
            KvSnapshot stored = rocks.flush(before.freeze(), new EpochRange(1, 2));

            // a replay for a target behind RocksDB would re-add on top of the newer total
            KvDelta replaying = new KvDelta(stored);
            assertThatThrownBy(() -> replaying.apply(2, KvWrite.add(b("c"), 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RocksDB already holds epochs up to 2");
            assertThat(replaying.apply(2, KvWrite.put(b("p"), b("v")))).isEqualTo(2L); // puts do not depend on it
        }
    }

    private static List<String> scan(KvSegment segment, byte[] from, byte[] to) {
        List<String> out = new ArrayList<>();
        segment.scan(from, to).forEachRemaining(e -> out.add(s(e.key()) + "=" + s(e.value())));
        return out;
    }
}
