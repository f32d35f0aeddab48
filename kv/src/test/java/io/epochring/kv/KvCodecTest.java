package io.epochring.kv;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static io.epochring.kv.Bytes.b;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvCodecTest {

    private final KvCodec codec = KvCodec.INSTANCE;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);

    @Test
    void shouldNameItselfWithAFixedNameAndVersionThatJournalsRecord() {
        // Journals written by earlier builds record these: changing them refuses every existing journal.
        assertThat(codec.name()).isEqualTo("epochring.kv");
        assertThat(codec.version()).isEqualTo(1);
    }

    @Test
    void shouldRoundTripPutsAndDeletesByteForByte() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1_000; i++) {
            byte[] key = new byte[random.nextInt(0, 300)];
            byte[] value = new byte[random.nextInt(0, 3_000)];
            random.nextBytes(key);
            random.nextBytes(value);
            KvWrite write = switch (i % 4) {
                case 0 -> KvWrite.delete(key);
                case 1 -> KvWrite.add(key, random.nextLong());
                default -> KvWrite.put(key, value);
            };
            int offset = random.nextInt(0, 8);

            int length = codec.encode(write, buffer, offset);

            assertThat(codec.decode(buffer, offset, length)).isEqualTo(write);
        }
    }

    @Test
    void shouldRoundTripUnicodeAndEmptyKeysAndValues() {
        for (KvWrite write : new KvWrite[] {KvWrite.put(b("ключ 鍵 🔑"), b("значение 値 ✓")), KvWrite.put(new byte[0], new byte[0]),
                                            KvWrite.delete(new byte[0])}) {
            int length = codec.encode(write, buffer, 0);
            assertThat(codec.decode(buffer, 0, length)).isEqualTo(write);
        }
    }

    @Test
    void shouldRoundTripAddsAtTheEdgesOfLong() {
        for (long amount : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            KvWrite write = KvWrite.add(b("counter"), amount);

            int length = codec.encode(write, buffer, 3);

            assertThat(length).isEqualTo(5 + 7 + 8);
            KvWrite decoded = codec.decode(buffer, 3, length);
            assertThat(decoded).isEqualTo(write);
            assertThat(decoded.isAdd()).isTrue();
            assertThat(decoded.amount()).isEqualTo(amount);
            assertThat(decoded.value()).isNull();
        }
    }

    @Test
    void shouldReadPutsAndDeletesInTheLayoutTheyHadBeforeAdds() {
        // 'P', key length 1, key "k", value "v"; then 'D', key length 1, key "k"
        UnsafeBuffer put = new UnsafeBuffer(new byte[] {'P', 1, 0, 0, 0, 'k', 'v'});
        UnsafeBuffer delete = new UnsafeBuffer(new byte[] {'D', 1, 0, 0, 0, 'k'});

        assertThat(codec.decode(put, 0, 7)).isEqualTo(KvWrite.put(b("k"), b("v")));
        assertThat(codec.decode(delete, 0, 6)).isEqualTo(KvWrite.delete(b("k")));
        assertThat(codec.encode(KvWrite.put(b("k"), b("v")), buffer, 0)).isEqualTo(7);
        assertThat(buffer.getByte(0)).isEqualTo((byte) 'P');
    }

    @Test
    void shouldRejectPayloadsThatAreNotKvWrites() {
        assertThatThrownBy(() -> codec.decode(new UnsafeBuffer(new byte[3]), 0, 3))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than its 5-byte header");

        UnsafeBuffer wrongKind = new UnsafeBuffer(new byte[5]);
        wrongKind.putByte(0, (byte) 'X');
        assertThatThrownBy(() -> codec.decode(wrongKind, 0, 5))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kind byte 0x58")
            .hasMessageContaining("'A'");

        UnsafeBuffer shortAmount = new UnsafeBuffer(new byte[10]);
        shortAmount.putByte(0, KvCodec.ADD);
        shortAmount.putInt(1, 1, ByteOrder.LITTLE_ENDIAN);
        assertThatThrownBy(() -> codec.decode(shortAmount, 0, 10))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add payload carries 4 bytes after its key, expected an 8-byte amount");

        UnsafeBuffer longKey = new UnsafeBuffer(new byte[8]);
        longKey.putByte(0, KvCodec.PUT);
        longKey.putInt(1, 100, ByteOrder.LITTLE_ENDIAN);
        assertThatThrownBy(() -> codec.decode(longKey, 0, 8))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims a key of 100 bytes");

        UnsafeBuffer deleteWithValue = new UnsafeBuffer(new byte[8]);
        deleteWithValue.putByte(0, KvCodec.DELETE);
        deleteWithValue.putInt(1, 1, ByteOrder.LITTLE_ENDIAN);
        assertThatThrownBy(() -> codec.decode(deleteWithValue, 0, 8))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 unexpected bytes");
    }
}
