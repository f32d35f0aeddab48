package io.epochring.kv;

import org.junit.jupiter.api.Test;

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

    private static List<String> scan(KvSegment segment, byte[] from, byte[] to) {
        List<String> out = new ArrayList<>();
        segment.scan(from, to).forEachRemaining(e -> out.add(s(e.key()) + "=" + s(e.value())));
        return out;
    }
}
