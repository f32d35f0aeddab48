package io.epochring;

import io.epochring.testing.MapDelta;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import io.epochring.testing.RecordingDelta;
import io.epochring.testing.TestFlusher;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The coordinator tells the journal its codec before recovery reads anything, and stops at a refusal. */
class CodecIdentityTest {

    @Test
    void shouldNameACodecByItsClassAtVersionOneUnlessItSaysOtherwise() {
        assertThat(new PutCodec().name()).isEqualTo(PutCodec.class.getName());
        assertThat(new PutCodec().version()).isEqualTo(1);
        assertThat(new NamedCodec("orders", 3).name()).isEqualTo("orders");
        assertThat(new NamedCodec("orders", 3).version()).isEqualTo(3);
    }

    @Test
    void shouldBindTheCodecBeforeRecoveryReadsTheJournal() {
        // given a journal that logs every call
        CallLog journal = new CallLog(new MemoryJournal(), null);

        // when a coordinator starts on it
        EpochRing.builder(new MapDelta(), new TestFlusher()).journal(journal, new NamedCodec("orders", 3)).build().start().stop();

        // then the codec came first, before the checkpoint, the last epoch or a replay was read
        assertThat(journal.calls).isNotEmpty();
        assertThat(journal.calls.get(0)).isEqualTo("bindCodec(orders, 3)");
        assertThat(journal.calls).contains("lastCheckpoint", "replay");
    }

    @Test
    void shouldStopStartingWithNothingReplayedWhenTheJournalRefusesTheCodec() {
        // given a journal holding a write, which refuses the codec
        MemoryJournal records = new MemoryJournal();
        byte[] payload = new byte[64];
        int length = new PutCodec().encode(new Put("k", 1), new UnsafeBuffer(payload), 0);
        records.append(1, "default", new UnsafeBuffer(payload), 0, length);
        records.commit();
        CodecMismatchException refusal = new CodecMismatchException("journal was written with 'other' version 1", "'other' version 1",
                                                                    "'orders' version 3");
        CallLog journal = new CallLog(records, refusal);
        RecordingDelta delta = new RecordingDelta();
        var ring = EpochRing.builder(delta, new TestFlusher()).journal(journal, new NamedCodec("orders", 3)).build();

        // when it starts, then the refusal comes out as it is, and nothing was read or applied
        assertThatThrownBy(ring::start).isSameAs(refusal);
        assertThat(journal.calls).containsExactly("bindCodec(orders, 3)", "close");
        assertThat(delta.applied()).isEmpty();
        assertThat(records.isClosed()).isTrue();
    }

    @Test
    void shouldRefuseACodecWithABlankNameOrAVersionBelowOne() {
        assertThatThrownBy(() -> EpochRing.builder(new MapDelta(), new TestFlusher()).journal(new MemoryJournal(), new NamedCodec(" ", 1)).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("has a blank name(): give it a stable one");
        assertThatThrownBy(() -> EpochRing.builder(new MapDelta(), new TestFlusher()).journal(new MemoryJournal(), new NamedCodec("orders", 0)).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("codec orders has version() 0: versions start at 1");
    }

    /** {@link PutCodec} under a name and version of its own. */
    private static final class NamedCodec implements WriteCodec<Put> {
        private final PutCodec codec = new PutCodec();
        private final String name;
        private final int version;

        NamedCodec(String name, int version) {
            this.name = name;
            this.version = version;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public int encode(Put write, MutableDirectBuffer buffer, int offset) {
            return codec.encode(write, buffer, offset);
        }

        @Override
        public Put decode(DirectBuffer buffer, int offset, int length) {
            return codec.decode(buffer, offset, length);
        }
    }

    /** Forwards to a {@link MemoryJournal}, logging each call's name; optionally refuses every codec. */
    private static final class CallLog implements Journal {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final MemoryJournal journal;
        private final CodecMismatchException refusal;

        CallLog(MemoryJournal journal, CodecMismatchException refusal) {
            this.journal = journal;
            this.refusal = refusal;
        }

        @Override
        public void bindCodec(String name, int version) {
            calls.add("bindCodec(" + name + ", " + version + ")");
            if (refusal != null) {
                throw refusal;
            }
        }

        @Override
        public Checkpoint lastCheckpoint() {
            calls.add("lastCheckpoint");
            return journal.lastCheckpoint();
        }

        @Override
        public long lastEpoch() {
            calls.add("lastEpoch");
            return journal.lastEpoch();
        }

        @Override
        public long replay(long afterEpoch, ReplayHandler handler) {
            calls.add("replay");
            return journal.replay(afterEpoch, handler);
        }

        @Override
        public void append(long epoch, String channel, DirectBuffer payload, int offset, int length) {
            journal.append(epoch, channel, payload, offset, length);
        }

        @Override
        public void appendRejected(long epoch, String channel, DirectBuffer payload, int offset, int length) {
            journal.appendRejected(epoch, channel, payload, offset, length);
        }

        @Override
        public void commit() {
            journal.commit();
        }

        @Override
        public void checkpoint(long durableEpoch, long writtenEpoch) {
            journal.checkpoint(durableEpoch, writtenEpoch);
        }

        @Override
        public void close() {
            calls.add("close");
            journal.close();
        }
    }
}
