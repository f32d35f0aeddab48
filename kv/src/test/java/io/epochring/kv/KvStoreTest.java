package io.epochring.kv;

import io.epochring.ApplyException;
import io.epochring.CodecMismatchException;
import io.epochring.CoordinatorFaultException;
import io.epochring.DurabilityLevel;
import io.epochring.EpochRange;
import io.epochring.Flusher;
import io.epochring.RecoveryReport;
import io.epochring.View;
import io.epochring.WriteHandle;
import io.epochring.journal.ChronicleJournal;
import io.epochring.journal.CodecIdentity;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.JournalStats;
import io.epochring.journal.SyncPolicy;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.epochring.kv.Bytes.b;
import static io.epochring.kv.Bytes.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private KvStore store;
    private GatedFlusher gate;

    @AfterEach
    void closeStore() {
        if (gate != null) {
            gate.open();
        }
        if (store != null) {
            store.close();
        }
    }

    /** A store without journal whose flushes only happen when the test asks, through a gate. */
    private KvStore openGated() {
        AtomicReference<GatedFlusher> holder = new AtomicReference<>();
        store = KvStore.open(dir, KvOptions.builder().journal(false).flushInterval(Duration.ofHours(1))
                                           .flusherDecorator(f -> {
                                               holder.set(new GatedFlusher(f));
                                               return holder.get();
                                           }).build());
        gate = holder.get();
        return store;
    }

    @Test
    void shouldReadYourWritesFromLiveFrozenAndFlushedData() throws Exception {
        // given a store whose flusher is held back
        openGated();
        gate.close();

        // when a write is applied, it is visible from the live delta
        store.put(b("a"), b("1")).await(DurabilityLevel.APPLIED);
        assertThat(s(store.get(b("a")))).isEqualTo("1");

        // when it is frozen and the flush is held, it is visible from the frozen delta
        WriteHandle<EpochRange> flush = store.flush(false);
        gate.awaitStarted(TIMEOUT);
        store.put(b("b"), b("2")).await(DurabilityLevel.APPLIED);
        View<KvSegment, KvSnapshot> frozenView = store.ring().view();
        assertThat(frozenView.frozen()).hasSize(1);
        assertThat(frozenView.frozen().get(0).get(b("a"))).isNotNull();
        assertThat(frozenView.live().get(b("a"))).isNull();
        assertThat(s(store.get(b("a")))).isEqualTo("1");
        assertThat(s(store.get(b("b")))).isEqualTo("2");
        assertThat(frozenView.snapshot().get(b("a"))).isNull();

        // when the flush completes, it is read from RocksDB
        gate.open();
        flush.await(DurabilityLevel.WRITTEN, TIMEOUT);
        View<KvSegment, KvSnapshot> flushedView = store.ring().view();
        assertThat(flushedView.frozen()).isEmpty();
        assertThat(s(flushedView.snapshot().get(b("a")))).isEqualTo("1");
        assertThat(s(store.get(b("a")))).isEqualTo("1");
        assertThat(s(store.get(b("b")))).isEqualTo("2");
        assertThat(store.get(b("never-written"))).isNull();
    }

    @Test
    void shouldCountTheJournalsAppendsAndSyncsAndHaveNoJournalCountersWithoutOne() throws Exception {
        // given a store whose journal syncs every ring batch
        store = KvStore.open(dir.resolve("journaled"), KvOptions.builder().journalSync(SyncPolicy.PER_BATCH).build());

        // when three writes are journaled
        for (int i = 0; i < 3; i++) {
            store.put(b("k" + i), b("v")).await(DurabilityLevel.JOURNALED, TIMEOUT);
        }

        // then the counters say so: each was synced with its batch
        JournalStats stats = store.journalStats().orElseThrow();
        assertThat(stats.appends()).isEqualTo(3);
        assertThat(stats.syncs()).isBetween(1L, 3L);
        assertThat(stats.syncedEpoch()).isEqualTo(3);
        store.close();

        // and a store without a journal has none
        store = KvStore.open(dir.resolve("unjournaled"), KvOptions.builder().journal(false).build());
        assertThat(store.journalStats()).isEmpty();
    }

    @Test
    void shouldCarryTheSequenceOfTheLastWriteAcrossLayers() throws Exception {
        openGated();
        long first = store.put(b("k"), b("v1")).await(DurabilityLevel.APPLIED);
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        assertThat(store.entry(b("k")).sequence()).isEqualTo(first);

        long second = store.put(b("k"), b("v2")).await(DurabilityLevel.APPLIED);
        assertThat(second).isGreaterThan(first);
        assertThat(store.entry(b("k")).sequence()).isEqualTo(second);
        assertThat(store.delta().lastSequence()).isEqualTo(second);
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        assertThat(store.entry(b("k")).sequence()).isEqualTo(second);
        assertThat(store.writtenEpoch()).isEqualTo(second);
    }

    @Test
    void shouldHideDeletedKeysInEveryLayer() throws Exception {
        // given three keys in RocksDB
        openGated();
        store.put(b("a"), b("1"));
        store.put(b("b"), b("2"));
        store.put(b("c"), b("3"));
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);

        // a delete in the live delta shadows the stored value
        store.delete(b("a")).await(DurabilityLevel.APPLIED);
        assertThat(store.get(b("a"))).isNull();
        assertThat(store.entry(b("a")).isTombstone()).isTrue();

        // a frozen tombstone still shadows it, and so does a newer live one
        gate.close();
        WriteHandle<EpochRange> flush = store.flush(false);
        gate.awaitStarted(TIMEOUT);
        store.delete(b("b")).await(DurabilityLevel.APPLIED);
        assertThat(store.get(b("a"))).isNull();
        assertThat(store.get(b("b"))).isNull();
        assertThat(s(store.get(b("c")))).isEqualTo("3");

        // once flushed, RocksDB no longer holds them
        gate.open();
        flush.await(DurabilityLevel.WRITTEN, TIMEOUT);
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        KvSnapshot snapshot = store.ring().view().snapshot();
        assertThat(snapshot.get(b("a"))).isNull();
        assertThat(snapshot.get(b("b"))).isNull();
        assertThat(store.entry(b("a"))).isNull();
        assertThat(s(store.get(b("c")))).isEqualTo("3");

        // and a put after a delete brings the key back
        store.put(b("a"), b("again")).await(DurabilityLevel.APPLIED);
        assertThat(s(store.get(b("a")))).isEqualTo("again");
    }

    @Test
    void shouldScanAcrossLiveFrozenAndStoredDataInKeyOrder() throws Exception {
        // given stored k1, k3, k5
        openGated();
        store.put(b("k1"), b("stored"));
        store.put(b("k3"), b("stored"));
        store.put(b("k5"), b("stored"));
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        // and frozen k2, a newer k3, and a delete of k5
        gate.close();
        store.put(b("k2"), b("frozen"));
        store.put(b("k3"), b("frozen"));
        store.delete(b("k5"));
        store.flush(false);
        gate.awaitStarted(TIMEOUT);
        // and live k4, k6 and a delete of k1
        store.put(b("k4"), b("live"));
        store.put(b("k6"), b("live"));
        store.delete(b("k1")).await(DurabilityLevel.APPLIED);

        // then a scan merges the three layers, newest wins, deleted keys are skipped
        assertThat(render(store.scan(null, null))).containsExactly("k2=frozen", "k3=frozen", "k4=live", "k6=live");
        assertThat(render(store.scan(b("k3"), b("k6")))).containsExactly("k3=frozen", "k4=live");
        assertThat(render(store.scan(b("k0"), null, 2))).containsExactly("k2=frozen", "k3=frozen");
        assertThat(store.scan(b("k6"), b("k3"))).isEmpty();

        // and the same after everything is flushed
        gate.open();
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        assertThat(render(store.scan(null, null))).containsExactly("k2=frozen", "k3=frozen", "k4=live", "k6=live");
    }

    @Test
    void shouldKeepFlushedDataAcrossReopen() throws Exception {
        store = KvStore.open(dir, KvOptions.builder().journal(false).build());
        store.put(b("kept"), b("yes")).await(DurabilityLevel.DURABLE, TIMEOUT);
        store.put(b("gone"), b("soon"));
        store.delete(b("gone")).await(DurabilityLevel.APPLIED);
        store.close();

        store = KvStore.open(dir, KvOptions.builder().journal(false).build());
        assertThat(s(store.get(b("kept")))).isEqualTo("yes");
        assertThat(store.get(b("gone"))).isNull();
        assertThat(store.storedEpoch()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldRefuseToOpenADirectoryAnotherStoreHolds() {
        store = KvStore.open(dir, KvOptions.builder().journal(false).build());
        assertThatThrownBy(() -> KvStore.open(dir, KvOptions.builder().journal(false).build()))
            .isInstanceOf(KvStoreException.class)
            .hasMessageContaining("the store " + dir + " is already open by pid " + ProcessHandle.current().pid())
            .hasMessageContaining("(in this JVM)")
            .hasMessageContaining("close that store first");
    }

    @Test
    void shouldRefuseAJournalWrittenWithAnotherCodecBeforeReplayingIt() throws Exception {
        // given a store whose journal holds longs: 80 is 'P' then seven zeros, which the store's codec reads as put("", [0, 0, 0])
        Path storeDir = dir.resolve("store");
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(storeDir.resolve("journal")).build()) {
            journal.bindCodec("test.long", 1);
            buffer.putLong(0, 80, ByteOrder.LITTLE_ENDIAN);
            journal.append(1, KvOptions.DEFAULT_CHANNEL, buffer, 0, Long.BYTES);
            journal.commit();
        }
        assertThat(KvCodec.INSTANCE.decode(buffer, 0, Long.BYTES)).isEqualTo(KvWrite.put(new byte[0], new byte[3]));

        // when the store opens it, then it is refused naming both codecs
        assertThatThrownBy(() -> KvStore.open(storeDir))
            .isInstanceOf(CodecMismatchException.class)
            .hasMessageContaining("was written with codec 'test.long' version 1 but is being opened with codec 'epochring.kv' version 1")
            .hasMessageContaining("Nothing was replayed");

        // and nothing reached RocksDB, and the store is not left locked
        try (KvStore noJournal = KvStore.open(storeDir, KvOptions.builder().journal(false).build())) {
            assertThat(noJournal.storedEpoch()).isZero();
            assertThat(noJournal.get(new byte[0])).isNull();
        }
    }

    @Test
    void shouldRefuseAJournalThatNamesNoCodecUnlessToldToAdoptIt() throws Exception {
        // given a journal of puts written without recording a codec (as before journals recorded theirs)
        Path storeDir = dir.resolve("store");
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        try (ChronicleJournal journal = ChronicleJournal.builder(storeDir.resolve("journal")).build()) {
            journal.append(1, KvOptions.DEFAULT_CHANNEL, buffer, 0, KvCodec.INSTANCE.encode(KvWrite.put(b("a"), b("1")), buffer, 0));
            journal.commit();
        }

        assertThatThrownBy(() -> KvStore.open(storeDir))
            .isInstanceOf(CodecMismatchException.class)
            .hasMessageContaining("holds records (up to epoch 1) but no epochring-codec.id");

        // when it is adopted, then it replays, and from then on names the store's codec
        try (KvStore adopted = KvStore.open(storeDir, KvOptions.builder().journalAdoptCodec(true).build())) {
            assertThat(s(adopted.get(b("a")))).isEqualTo("1");
            adopted.flush(true).await(DurabilityLevel.DURABLE, TIMEOUT);
        }
        try (JournalInspector inspector = JournalInspector.open(storeDir.resolve("journal"))) {
            assertThat(inspector.codec()).contains(new CodecIdentity(KvCodec.NAME, KvCodec.VERSION));
        }
        try (KvStore reopened = KvStore.open(storeDir)) {
            assertThat(s(reopened.get(b("a")))).isEqualTo("1");
        }
    }

    @Test
    void shouldReleaseSnapshotsNoViewOrReaderHolds() throws Exception {
        openGated();
        RocksDbFlusher rocks = store.flusher();
        // a reader holds the snapshot of the current view
        KvSnapshot held = store.ring().view().snapshot();
        assertThat(held.tryAcquire()).isTrue();

        for (int i = 0; i < 20; i++) {
            store.put(b("k" + i), b("v" + i));
            store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        }
        // the current snapshot, the one it replaced, and the one the reader holds
        assertThat(rocks.openSnapshots()).isEqualTo(3);
        assertThat(held.isReleased()).isFalse();
        assertThat(held.get(b("k0"))).isNull();

        held.release();
        assertThat(held.isReleased()).isTrue();
        assertThat(rocks.openSnapshots()).isEqualTo(2);
        assertThatThrownBy(() -> held.get(b("k0"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("read ring.view() again");

        store.close();
        store = null;
        assertThat(rocks.openSnapshots()).isZero();
    }

    @Test
    void shouldRefuseReadsAfterClose() {
        store = KvStore.open(dir, KvOptions.builder().journal(false).build());
        store.close();
        assertThatThrownBy(() -> store.get(b("a"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        store = null;
    }

    @Test
    void shouldNameWhatIsWrongWithBadInput() throws Exception {
        store = KvStore.open(dir, KvOptions.builder().journal(false).channel("orders", 16).build());

        assertThatThrownBy(() -> store.put(null, b("v"))).isInstanceOf(NullPointerException.class).hasMessage("put: key must not be null");
        assertThatThrownBy(() -> store.put(b("k"), null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("to remove a key use KvWrite.delete(key)");
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class).hasMessage("get: key must not be null");
        assertThatThrownBy(() -> store.channel("payments")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown channel 'payments'").hasMessageContaining("[orders]");
        assertThatThrownBy(() -> store.scan(null, null, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be >= 0");
        // nothing accepted before the bad calls was lost
        store.put(b("k"), b("v")).await(DurabilityLevel.APPLIED);
        assertThat(s(store.get(b("k")))).isEqualTo("v");

        assertThatThrownBy(() -> KvOptions.builder().flushInterval(Duration.ZERO).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessage("bad KvOptions: flushInterval must be > 0, was PT0S");
        assertThatThrownBy(() -> KvOptions.builder().channel("a", 1).channel("a", 2).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 'a' is configured twice");
        assertThatThrownBy(() -> KvOptions.builder().ringSize(1000).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ringSize must be a power of two");
        Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> KvStore.open(file)).isInstanceOf(KvStoreException.class)
            .hasMessageContaining("cannot create the store directory " + file);
    }

    @Test
    void shouldRefuseAValueTooLargeForTheJournalAndLoseNothingElse() throws Exception {
        // given a journaled store (Chronicle records at most 16,711,653 payload bytes a write)
        Path storeDir = dir.resolve("store");
        store = KvStore.open(storeDir);
        store.put(b("before"), b("1"));

        // when a 17 MiB value is put
        WriteHandle<Long> tooLarge = store.put(b("large"), new byte[17 << 20]);

        // then that put fails, naming its size and the limit, and the store keeps going
        assertThatThrownBy(() -> tooLarge.await(DurabilityLevel.APPLIED, TIMEOUT))
            .hasMessageContaining("write at epoch 2 on channel 'default' is too large")
            .hasMessageContaining("encodes to 17,825,802 bytes; the journal records at most 16,711,653 bytes per write")
            .cause().isInstanceOf(IllegalArgumentException.class);
        store.put(b("after"), b("3")).await(DurabilityLevel.JOURNALED, TIMEOUT);
        assertThat(store.ring().failure()).isEmpty();
        assertThat(store.get(b("large"))).isNull();
        store.close();
        store = null;

        // and a reopened store has every other write, and goes on after the refused epoch
        try (KvStore reopened = KvStore.open(storeDir)) {
            assertThat(s(reopened.get(b("before")))).isEqualTo("1");
            assertThat(s(reopened.get(b("after")))).isEqualTo("3");
            assertThat(reopened.get(b("large"))).isNull();
            assertThat(reopened.put(b("next"), b("4")).await(DurabilityLevel.JOURNALED, TIMEOUT)).isEqualTo(4L);
        }
        try (JournalInspector inspector = JournalInspector.open(storeDir.resolve("journal"))) {
            assertThat(inspector.summary().rejectedWrites()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseADatabaseThatIsBehindItsJournalsCheckpoint() throws Exception {
        // given a journaled store whose writes were made durable, then its database deleted
        Path storeDir = dir.resolve("store");
        try (KvStore journaled = KvStore.open(storeDir)) {
            journaled.put(b("a"), b("1")).await(DurabilityLevel.DURABLE, TIMEOUT);
        }
        try (var files = java.nio.file.Files.walk(storeDir.resolve("db"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }

        assertThatThrownBy(() -> KvStore.open(storeDir)).isInstanceOf(KvStoreException.class)
            .hasMessageContaining("holds writes up to epoch 0 but the journal's checkpoint says epochs up to 1 were made durable")
            .hasMessageContaining("restore the database directory");
        // and the failed open left nothing locked
        assertThat(java.nio.file.Files.exists(storeDir.resolve("journal"))).isTrue();
        try (var journal = io.epochring.journal.ChronicleJournal.builder(storeDir.resolve("journal")).build()) {
            assertThat(journal.lastEpoch()).isEqualTo(1);
        }
    }

    @Test
    void shouldRecoverJournaledWritesOnOpen() throws Exception {
        // given a journaled store closed cleanly, and reopened
        Path storeDir = dir.resolve("store");
        try (KvStore journaled = KvStore.open(storeDir)) {
            journaled.put(b("a"), b("1"));
            journaled.delete(b("a"));
            journaled.put(b("b"), b("2")).await(DurabilityLevel.JOURNALED);
        }
        try (KvStore reopened = KvStore.open(storeDir)) {
            // then epochs continue after the journal's last one, and the data is there
            assertThat(reopened.recovery().lastEpoch()).isEqualTo(3);
            assertThat(reopened.recovery().checkpoint().durableEpoch()).isEqualTo(3);
            assertThat(reopened.get(b("a"))).isNull();
            assertThat(s(reopened.get(b("b")))).isEqualTo("2");
            assertThat(reopened.put(b("c"), b("3")).await(DurabilityLevel.JOURNALED)).isEqualTo(4L);
        }
    }

    @Test
    void shouldAddToCountersThroughLiveFrozenAndFlushedLayers() throws Exception {
        // given a store whose flusher is held back
        openGated();
        gate.close();

        // an add on an absent key starts from 0, and the next one reads the live delta
        assertThat(store.add(b("c"), 1).await(DurabilityLevel.APPLIED)).isEqualTo(1L);
        assertThat(store.add(b("c"), 2).await(DurabilityLevel.APPLIED)).isEqualTo(3L);
        assertThat(store.counter(b("c"))).isEqualTo(3);

        // while the flush is held, an add reads the frozen delta
        WriteHandle<EpochRange> flush = store.flush(false);
        gate.awaitStarted(TIMEOUT);
        assertThat(store.ring().view().live().get(b("c"))).isNull();
        assertThat(store.add(b("c"), 10).await(DurabilityLevel.APPLIED)).isEqualTo(13L);
        assertThat(store.add(b("d"), -4).await(DurabilityLevel.APPLIED)).isEqualTo(-4L);

        // once flushed, an add reads RocksDB
        gate.open();
        flush.await(DurabilityLevel.WRITTEN, TIMEOUT);
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        assertThat(store.ring().view().frozen()).isEmpty();
        assertThat(store.ring().view().live().get(b("c"))).isNull();
        WriteHandle<Long> add = store.add(b("c"), 100);
        assertThat(add.await(DurabilityLevel.APPLIED)).isEqualTo(113L);

        // and reads see the number, as an ordinary 8-byte value carrying the add's sequence
        assertThat(store.get(b("c"))).isEqualTo(StoredValue.longBytes(113));
        assertThat(store.entry(b("c")).sequence()).isEqualTo(add.epoch());
        assertThat(store.counter(b("d"))).isEqualTo(-4);
        assertThat(store.counter(b("never"))).isZero();
    }

    @Test
    void shouldAddFromZeroAfterADeleteAndRejectAnAddToAValueThatIsNotACounter() throws Exception {
        openGated();
        store.put(b("k"), b("text"));
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);

        // an add to a stored non-counter fails for that write only
        WriteHandle<Long> rejected = store.add(b("k"), 1);
        assertThatThrownBy(() -> rejected.await(DurabilityLevel.APPLIED)).isInstanceOf(ApplyException.class)
            .hasMessageContaining("not an 8-byte counter");
        assertThat(s(store.get(b("k")))).isEqualTo("text");
        assertThatThrownBy(() -> store.counter(b("k"))).isInstanceOf(KvStoreException.class).hasMessageContaining("4-byte value");

        // a delete resets it, in the live delta and once flushed
        store.delete(b("k"));
        assertThat(store.add(b("k"), 7).await(DurabilityLevel.APPLIED)).isEqualTo(7L);
        store.delete(b("k"));
        store.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
        assertThat(store.add(b("k"), 5).await(DurabilityLevel.APPLIED)).isEqualTo(5L);
        // and a put of 8 bytes sets it
        store.put(b("k"), StoredValue.longBytes(1_000));
        assertThat(store.add(b("k"), 1).await(DurabilityLevel.APPLIED)).isEqualTo(1_001L);
    }

    @Test
    void shouldKeepExactTotalsAcrossACleanClose() throws Exception {
        // given a journaled store that flushed some adds and kept others in its delta
        Path storeDir = dir.resolve("store");
        try (KvStore journaled = KvStore.open(storeDir, KvOptions.builder().flushInterval(Duration.ofHours(1)).build())) {
            add(journaled, "a", 3);
            journaled.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);
            add(journaled, "a", 2);
            add(journaled, "b", 4);
        }

        // when it is reopened, nothing is replayed and the totals are RocksDB's
        try (KvStore reopened = KvStore.open(storeDir, KvOptions.builder().flushInterval(Duration.ofHours(1)).build())) {
            assertThat(reopened.recovery().replayed()).isZero();
            assertThat(reopened.counter(b("a"))).isEqualTo(5);
            assertThat(reopened.counter(b("b"))).isEqualTo(4);
            // and adds go on from them
            assertThat(reopened.add(b("a"), 1).await(DurabilityLevel.JOURNALED)).isEqualTo(6L);
        }
        try (KvStore again = KvStore.open(storeDir)) {
            assertThat(again.counter(b("a"))).isEqualTo(6);
        }
    }

    @Test
    void shouldReplayEachAddExactlyOnceAfterACrashWithRocksDbAheadOfTheCheckpoint() throws Exception {
        // given a journaled store that writes RocksDB without syncing it, so the journal's checkpoint stays behind
        Path storeDir = dir.resolve("store");
        AtomicBoolean crash = new AtomicBoolean();
        KvOptions crashing = KvOptions.builder().syncEveryFlush(false).flushInterval(Duration.ofHours(1))
                                      .flusherDecorator(f -> new CrashingFlusher(f, crash)).build();
        KvStore running = KvStore.open(storeDir, crashing);
        add(running, "a", 3);
        add(running, "b", 1);
        running.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);     // RocksDB: a = 3, b = 1
        add(running, "a", 2);
        running.put(b("t"), b("text"));
        running.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT);     // RocksDB: a = 5
        long written = running.writtenEpoch();
        assertThat(written).isEqualTo(7);
        // and adds the journal holds above RocksDB: on keys RocksDB has and on a new one, one rejected
        add(running, "a", 4);
        add(running, "b", 1);
        add(running, "c", 2);
        WriteHandle<Long> rejected = running.add(b("t"), 1);
        assertThatThrownBy(() -> rejected.await(DurabilityLevel.JOURNALED)).isInstanceOf(ApplyException.class);
        add(running, "b", 1);
        assertThat(running.watermark(DurabilityLevel.DURABLE)).isZero();

        // when the process dies on the next flush, before it writes anything
        crash.set(true);
        assertThatThrownBy(() -> running.flush(false).await(DurabilityLevel.WRITTEN, TIMEOUT)).isInstanceOf(CoordinatorFaultException.class);
        assertThatThrownBy(running::close).isInstanceOf(CoordinatorFaultException.class);

        // then reopening replays only what RocksDB lacks, skipping the rejected add, and every total is exact
        try (KvStore reopened = KvStore.open(storeDir, KvOptions.builder().syncEveryFlush(false).build())) {
            RecoveryReport recovery = reopened.recovery();
            assertThat(recovery.storage().epoch()).isEqualTo(written).isGreaterThan(recovery.checkpoint().durableEpoch());
            assertThat(recovery.lastEpoch()).isEqualTo(16);
            assertThat(recovery.replayed()).as("epochs 8..16 but the rejected one").isEqualTo(8);
            assertThat(recovery.rejected()).isEqualTo(1);
            assertThat(reopened.counter(b("a"))).isEqualTo(9);
            assertThat(reopened.counter(b("b"))).isEqualTo(3);
            assertThat(reopened.counter(b("c"))).isEqualTo(2);
            assertThat(s(reopened.get(b("t")))).isEqualTo("text");
            // and the journal holds each of those adds once
            try (JournalInspector journal = JournalInspector.open(storeDir.resolve("journal"))) {
                assertThat(journal.summary().writes()).isEqualTo(16);
                assertThat(journal.summary().rejectedWrites()).isEqualTo(1);
            }
            assertThat(reopened.add(b("a"), 1).await(DurabilityLevel.JOURNALED)).isEqualTo(10L);
        }
        // and a clean close after the recovery keeps them
        try (KvStore again = KvStore.open(storeDir)) {
            assertThat(again.recovery().replayed()).isZero();
            assertThat(again.counter(b("a"))).isEqualTo(10);
            assertThat(again.counter(b("b"))).isEqualTo(3);
        }
    }

    /** {@code amount} adds of 1 to {@code key}, the last one waited for until JOURNALED. */
    private static void add(KvStore store, String key, int amount) {
        WriteHandle<Long> last = null;
        for (int i = 0; i < amount; i++) {
            last = store.add(b(key), 1);
        }
        last.await(DurabilityLevel.JOURNALED, TIMEOUT);
    }

    /** Stands for the process dying: once armed, a flush throws an Error before it reaches RocksDB. */
    private static final class CrashingFlusher extends ForwardingFlusher {
        private final AtomicBoolean crash;

        CrashingFlusher(Flusher<KvSegment, KvSnapshot> delegate, AtomicBoolean crash) {
            super(delegate);
            this.crash = crash;
        }

        @Override
        public KvSnapshot flush(KvSegment frozen, EpochRange range) throws Exception {
            if (crash.get()) {
                throw new Error("simulated crash before flushing epochs " + range);
            }
            return delegate.flush(frozen, range);
        }
    }

    private static List<String> render(List<KvEntry> entries) {
        return entries.stream().map(e -> s(e.key()) + "=" + s(e.value())).toList();
    }
}
