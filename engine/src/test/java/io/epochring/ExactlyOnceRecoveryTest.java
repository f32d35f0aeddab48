package io.epochring;

import io.epochring.testing.CounterDelta;
import io.epochring.testing.LedgerFlusher;
import io.epochring.testing.LedgerSink;
import io.epochring.testing.MemoryJournal;
import io.epochring.testing.Put;
import io.epochring.testing.PutCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.epochring.DurabilityLevel.APPLIED;
import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static io.epochring.DurabilityLevel.WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Recovery hands every write to the delta, storage and each sink exactly once, with state that is
 * not idempotent: a {@link CounterDelta} adds, so a write applied twice shows in the totals. A
 * "crash" keeps what a restarted process would find: the journal's committed records and
 * checkpoints ({@link MemoryJournal#afterCrash()}), everything storage and sinks took.
 */
@org.junit.jupiter.params.ParameterizedClass
@org.junit.jupiter.params.provider.EnumSource(ThreadingMode.class)
class ExactlyOnceRecoveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @org.junit.jupiter.params.Parameter
    ThreadingMode threadingMode;
    private final List<EpochRing<?, ?, ?, ?>> rings = new ArrayList<>();

    @AfterEach
    void stopRings() {
        for (EpochRing<?, ?, ?, ?> ring : rings) {
            try {
                ring.stop();
            } catch (EpochRingException e) {
                // a ring a test made fail
            }
        }
    }

    @Test
    void shouldNotReplayWritesStorageHoldsWhenItIsAheadOfTheCheckpoint() {
        // given storage written up to epoch 20 but synced (checkpointed) only up to 10, and 5 more journaled
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(new CounterDelta(), storage, journal).syncEveryFlush(false));
        increments(ring, "balance", 10);
        ring.flush(true).await(DURABLE, WAIT);
        increments(ring, "balance", 10);
        ring.flush(false).await(WRITTEN, WAIT);
        increments(ring, "balance", 5).await(JOURNALED, WAIT);
        assertThat(journal.lastCheckpoint().durableEpoch()).isEqualTo(10);
        assertThat(storage.ledger().position()).isEqualTo(20);

        // when the process crashes and recovers
        LedgerFlusher storageAfter = storage.afterCrash();
        var recovered = start(builder(new CounterDelta(), storageAfter, journal.afterCrash()).syncEveryFlush(false));

        // then only the writes storage lacks were replayed, and storage gets each epoch once
        RecoveryReport report = recovered.recovery();
        assertThat(report.storage()).isEqualTo(new RecoveryReport.TargetPosition("storage", 20, true));
        assertThat(report.replayed()).isEqualTo(5);
        assertThat(recovered.watermark(WRITTEN)).isEqualTo(20);
        assertThat(recovered.watermark(DURABLE)).isEqualTo(10);
        recovered.flush(true).await(DURABLE, WAIT);
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(25);
        assertThat(storageAfter.ledger().isExactlyOnceUpTo(25)).as(storageAfter.ledger().toString()).isTrue();
        assertThat(recovered.view().snapshot()).containsEntry("balance", 25L);
    }

    @Test
    void shouldHandStorageThatCannotTellItsPositionTheEpochsAboveTheCheckpointAgainWithTheirRanges() {
        // given storage that cannot report its position, written past the checkpoint
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(false);
        var ring = start(builder(new CounterDelta(), storage, journal).syncEveryFlush(false));
        increments(ring, "balance", 4);
        ring.flush(true).await(DURABLE, WAIT);
        increments(ring, "balance", 3);
        ring.flush(false).await(WRITTEN, WAIT);

        // when it recovers
        LedgerFlusher storageAfter = storage.afterCrash();
        var recovered = start(builder(new CounterDelta(), storageAfter, journal.afterCrash()));
        recovered.flush(true).await(DURABLE, WAIT);

        // then it is handed epochs 5..7 a second time (at least once), with their exact range to skip them by
        assertThat(recovered.recovery().storage()).isEqualTo(new RecoveryReport.TargetPosition("storage", 4, false));
        assertThat(storageAfter.ledger().ranges()).containsExactly(new EpochRange(1, 4), new EpochRange(5, 7), new EpochRange(5, 7));
    }

    @Test
    void shouldRecordTheCheckpointBeforeDurableMovesWhenARequiredSinkIsWhatHeldItBack() {
        // given a required sink holding its deliveries while storage is synced
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        LedgerSink archive = new LedgerSink(true);
        archive.hold();
        var ring = start(builder(new CounterDelta(), storage, journal).sink("archive", archive, SinkOptions.required()));
        List<Long> durableWhenCheckpointed = new CopyOnWriteArrayList<>();
        journal.observeCheckpoints(epoch -> durableWhenCheckpointed.add(ring.watermark(DURABLE)));
        WriteHandle<Long> last = increments(ring, "balance", 5);
        ring.flush(true);
        io.epochring.testing.Await.until("storage synced", () -> storage.syncs() > 0 && storage.ledger().position() == 5);
        assertThat(ring.watermark(DURABLE)).as("the lagging required sink holds DURABLE back").isZero();
        assertThat(journal.checkpoints()).isEmpty();

        // when the sink delivers
        archive.release();
        last.await(DURABLE, WAIT);

        // then the checkpoint of epoch 5 was recorded first, while DURABLE was still below it
        assertThat(journal.lastCheckpoint().durableEpoch()).isEqualTo(5);
        assertThat(durableWhenCheckpointed).containsExactly(0L);

        // and after a crash nothing DURABLE is replayed, and no target gets an epoch twice
        LedgerFlusher storageAfter = storage.afterCrash();
        LedgerSink archiveAfter = archive.afterCrash();
        var recovered = start(builder(new CounterDelta(), storageAfter, journal.afterCrash())
                                  .sink("archive", archiveAfter, SinkOptions.required()));
        assertThat(recovered.recovery().replayed()).isZero();
        increments(recovered, "balance", 1);
        recovered.flush(true).await(DURABLE, WAIT);
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(6);
        assertThat(archiveAfter.ledger().total("balance")).isEqualTo(6);
        assertThat(storageAfter.ledger().isExactlyOnceUpTo(6)).isTrue();
        assertThat(archiveAfter.ledger().isExactlyOnceUpTo(6)).as(archiveAfter.ledger().toString()).isTrue();
    }

    @Test
    void shouldHandALaggingSinkExactlyTheEpochsItLacksAfterACrash() {
        // given storage at epoch 10 (synced: an optional sink does not hold DURABLE back) and a sink that delivered nothing
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        LedgerSink index = new LedgerSink(true);
        index.hold();
        var ring = start(builder(new CounterDelta(), storage, journal).sink("index", index, SinkOptions.optional()));
        increments(ring, "balance", 10);
        ring.flush(true).await(DURABLE, WAIT);
        increments(ring, "balance", 2).await(JOURNALED, WAIT);
        assertThat(journal.lastCheckpoint().durableEpoch()).isEqualTo(10);

        // when it crashes and recovers
        LedgerFlusher storageAfter = storage.afterCrash();
        LedgerSink indexAfter = index.afterCrash();
        index.release();
        var recovered = start(builder(new CounterDelta(), storageAfter, journal.afterCrash())
                                  .sink("index", indexAfter, SinkOptions.optional()));
        recovered.flush(true).await(DURABLE, WAIT);
        io.epochring.testing.Await.until("the sink caught up", () -> indexAfter.ledger().position() == 12);

        // then the sink got epochs 1..10 from the journal and 11..12 with storage, storage only 11..12
        RecoveryReport report = recovered.recovery();
        assertThat(report.sinks()).containsExactly(new RecoveryReport.TargetPosition("sink 'index'", 0, true));
        assertThat(report.replayed()).isEqualTo(12);
        assertThat(indexAfter.ledger().ranges()).containsExactly(new EpochRange(1, 10), new EpochRange(11, 12));
        assertThat(storageAfter.ledger().ranges()).containsExactly(new EpochRange(1, 10), new EpochRange(11, 12));
        assertThat(indexAfter.ledger().total("balance")).isEqualTo(12);
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(12);
    }

    @Test
    void shouldCatchUpStorageThatLostWritesASinkStillHas() {
        // given storage that kept only epochs 1..5 (its later writes were not synced) while a sink has 1..10
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        LedgerSink archive = new LedgerSink(true);
        var ring = start(builder(new CounterDelta(), storage, journal).syncEveryFlush(false)
                             .sink("archive", archive, SinkOptions.optional()));
        increments(ring, "balance", 5);
        ring.flush(false).await(WRITTEN, WAIT);
        LedgerFlusher storageAfter = storage.afterCrash();
        increments(ring, "balance", 5);
        ring.flush(false).await(WRITTEN, WAIT);
        io.epochring.testing.Await.until("the sink delivered", () -> archive.ledger().position() == 10);
        increments(ring, "balance", 2).await(JOURNALED, WAIT);

        // when it recovers
        LedgerSink archiveAfter = archive.afterCrash();
        var recovered = start(builder(new CounterDelta(), storageAfter, journal.afterCrash()).syncEveryFlush(false)
                                  .sink("archive", archiveAfter, SinkOptions.optional()));
        recovered.flush(true).await(DURABLE, WAIT);
        io.epochring.testing.Await.until("the sink caught up", () -> archiveAfter.ledger().position() == 12);

        // then storage got 6..10 (frozen at the sink's position) and 11..12; the sink only 11..12
        assertThat(storageAfter.ledger().ranges()).containsExactly(new EpochRange(1, 5), new EpochRange(6, 10), new EpochRange(11, 12));
        assertThat(archiveAfter.ledger().ranges()).containsExactly(new EpochRange(1, 5), new EpochRange(6, 10), new EpochRange(11, 12));
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(12);
        assertThat(archiveAfter.ledger().total("balance")).isEqualTo(12);
        assertThat(recovered.view().snapshot()).containsEntry("balance", 12L);
    }

    @Test
    void shouldSkipOnReplayExactlyTheWritesApplyRejectedTheFirstTime() {
        // given a write the delta rejected between two it applied
        MemoryJournal journal = new MemoryJournal();
        var ring = start(builder(new CounterDelta(), new LedgerFlusher(true), journal));
        ring.channel("default").write(new Put("balance", 1));
        WriteHandle<Long> rejected = ring.channel("default").write(new Put("fail-me", 1));
        WriteHandle<Long> last = ring.channel("default").write(new Put("balance", 1));
        assertThatThrownBy(() -> rejected.await(APPLIED)).isInstanceOf(ApplyException.class);
        last.await(JOURNALED, WAIT);
        assertThat(journal.records()).extracting(MemoryJournal.Record::rejected).containsExactly(false, true, false);

        // when it recovers with a delta that would now accept every write
        CounterDelta delta = new CounterDelta();
        LedgerFlusher storage = new LedgerFlusher(true);
        var recovered = start(builder(delta, storage, journal.afterCrash()));

        // then the rejected write is skipped (its epoch stays used), the others applied once
        assertThat(recovered.recovery().replayed()).isEqualTo(2);
        assertThat(recovered.recovery().rejected()).isEqualTo(1);
        assertThat(delta.applyCalls("fail-me")).isZero();
        assertThat(recovered.view().live()).containsEntry("balance", 2L).doesNotContainKey("fail-me");
        assertThat(recovered.channel("default").write(new Put("balance", 1)).await(APPLIED)).isEqualTo(3L);
        assertThat(recovered.watermark(APPLIED)).isEqualTo(4);
    }

    @Test
    void shouldAccountForAWriteTheCodecCouldNotEncodeWhenAFlushedRangeEndsAtIt() {
        // given storage holding a range whose last epoch is a write the codec could not encode
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(new CounterDelta(), storage, journal));
        ring.channel("default").write(new Put("balance", 1));
        WriteHandle<Long> unencodable = ring.channel("default").write(new Put("unencodable", 1));
        assertThatThrownBy(() -> unencodable.await(APPLIED)).hasMessageContaining("could not be encoded");
        ring.flush(true).await(DURABLE, WAIT);
        assertThat(storage.ledger().ranges()).containsExactly(new EpochRange(1, 2));

        // when it recovers
        LedgerFlusher storageAfter = storage.afterCrash();
        var recovered = start(builder(new CounterDelta(), storageAfter, journal.afterCrash()));

        // then the journal accounted for epoch 2 (as rejected), so storage is not "ahead of the journal", and epochs go on
        assertThat(recovered.recovery().lastEpoch()).isEqualTo(2);
        assertThat(increments(recovered, "balance", 1).epoch()).isEqualTo(3);
        recovered.flush(true).await(DURABLE, WAIT);
        assertThat(storageAfter.ledger().isExactlyOnceUpTo(3)).isTrue();
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(2);
    }

    @Test
    void shouldStopStartWhenAJournaledWriteFailsOnlyOnReplayAndChangeNothing() {
        // given two journaled writes
        MemoryJournal journal = new MemoryJournal();
        var ring = start(builder(new CounterDelta(), new LedgerFlusher(true), journal).channel("payments", 16));
        ring.channel("payments").write(new Put("balance", 1));
        ring.channel("payments").write(new Put("balance", 2)).await(JOURNALED, WAIT);
        MemoryJournal crashed = journal.afterCrash();

        // when a build whose delta now refuses epoch 2 recovers
        CounterDelta broken = new CounterDelta();
        broken.refuseEpochs(epoch -> epoch == 2);
        LedgerFlusher storage = new LedgerFlusher(true);
        var failing = builder(broken, storage, crashed).channel("payments", 16).build();

        // then start() stops with the epoch, channel and cause, and nothing was written anywhere
        assertThatThrownBy(failing::start)
            .isInstanceOfSatisfying(RecoveryFailedException.class, e -> {
                assertThat(e.epoch()).isEqualTo(2);
                assertThat(e.channel()).isEqualTo("payments");
            })
            .hasMessageContaining("epoch 2 on channel 'payments'").hasMessageContaining("deterministic")
            .hasRootCauseMessage("the counter refuses the write at epoch 2 to 'balance'");
        assertThat(storage.ledger().ranges()).isEmpty();
        assertThat(crashed.records()).hasSize(2);
        assertThat(crashed.checkpoints()).isEmpty();

        // and a fixed build recovers both writes
        CounterDelta fixed = new CounterDelta();
        var recovered = start(builder(fixed, storage, crashed).channel("payments", 16));
        recovered.flush(true).await(DURABLE, WAIT);
        assertThat(storage.ledger().total("balance")).isEqualTo(3);
    }

    @Test
    void shouldRefuseStorageBehindTheDurableCheckpoint() {
        MemoryJournal journal = new MemoryJournal();
        var ring = start(builder(new CounterDelta(), new LedgerFlusher(true), journal));
        increments(ring, "balance", 3);
        ring.flush(true).await(DURABLE, WAIT);

        var behind = builder(new CounterDelta(), new LedgerFlusher(true), journal.afterCrash()).build();

        assertThatThrownBy(behind::start).isInstanceOf(RecoveryFailedException.class)
                                         .hasMessageContaining("storage holds epochs up to 0")
                                         .hasMessageContaining("epochs up to 3 were durable");
    }

    @Test
    void shouldRefuseATargetAheadOfTheJournal() {
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(new CounterDelta(), storage, new MemoryJournal()));
        increments(ring, "balance", 3);
        ring.flush(true).await(DURABLE, WAIT);

        var lost = builder(new CounterDelta(), storage.afterCrash(), new MemoryJournal()).build();

        assertThatThrownBy(lost::start).isInstanceOf(RecoveryFailedException.class)
                                       .hasMessageContaining("storage holds epochs up to 3 but the journal ends at epoch 0");
    }

    @Test
    void shouldGoOnAfterStoragesPositionWithoutAJournal() {
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(EpochRing.builder(new CounterDelta(), storage));
        increments(ring, "balance", 3);
        ring.stop();

        LedgerFlusher reopened = storage.afterCrash();
        var next = start(EpochRing.builder(new CounterDelta(), reopened));
        assertThat(increments(next, "balance", 1).epoch()).isEqualTo(4);
        next.flush(true).await(DURABLE, WAIT);
        assertThat(reopened.ledger().isExactlyOnceUpTo(4)).isTrue();
    }

    private EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder(CounterDelta delta, LedgerFlusher flusher,
                                                                                    MemoryJournal journal) {
        return EpochRing.builder(delta, flusher).journal(journal, new PutCodec()).flushInterval(Duration.ofHours(1))
                        .threadingMode(threadingMode).errorHandler(e -> { });
    }

    private <W, R, F, S> EpochRing<W, R, F, S> start(EpochRingBuilder<W, R, F, S> builder) {
        EpochRing<W, R, F, S> ring = builder.build();
        rings.add(ring);
        return ring.start();
    }

    /** Adds 1 to {@code key} {@code count} times; @return the last write's handle */
    private static WriteHandle<Long> increments(EpochRing<Put, Long, ?, ?> ring, String key, int count) {
        WriteHandle<Long> last = null;
        for (int i = 0; i < count; i++) {
            last = ring.channel("default").write(new Put(key, 1));
        }
        last.await(APPLIED);
        return last;
    }
}
