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

import static io.epochring.DurabilityLevel.APPLIED;
import static io.epochring.DurabilityLevel.DURABLE;
import static io.epochring.DurabilityLevel.JOURNALED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A journal that lost records (a deleted, truncated or zeroed file, a tail lost in a power cut) is
 * refused at start, with what was lost and nothing changed, until the loss is accepted; then what
 * is left is recovered, new epochs continue after every epoch anything recorded, and the loss is
 * reported and recorded so the next start does not refuse it again.
 */
class JournalLossTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
    void shouldRefuseAJournalWhoseRecordsEndBelowItsEndMarkerAndChangeNothing() {
        // given 5 journaled writes, nothing flushed, and a crash that leaves only the first 3 records
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(storage, journal));
        increments(ring, 5).await(JOURNALED, WAIT);
        MemoryJournal truncated = journal.afterCrash().loseRecordsAbove(3);

        // when it starts again
        var next = builder(storage.afterCrash(), truncated).build();

        // then start refuses, naming both ends and the writes lost, and nothing was replayed or recorded
        assertThatThrownBy(next::start)
            .isInstanceOfSatisfying(JournalLossException.class, e -> {
                assertThat(e.loss().journalEnd()).isEqualTo(3);
                assertThat(e.loss().expectedEnd()).isEqualTo(5);
                assertThat(e.loss().lostWrites()).isEqualTo(2);
            })
            .hasMessageContaining("its end marker says epochs up to 5 were journaled, but its records end at epoch 3")
            .hasMessageContaining("2 journaled writes are in neither the journal nor storage")
            .hasMessageContaining("acceptJournalLoss(true)");
        assertThat(truncated.acceptedLosses()).isEmpty();
        assertThat(truncated.records()).hasSize(3);
    }

    @Test
    void shouldRecoverWhatIsLeftAndContinueAfterTheLostEpochsWhenTheLossIsAccepted() {
        // given the truncated journal of the test above
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(storage, journal));
        increments(ring, 5).await(JOURNALED, WAIT);
        MemoryJournal truncated = journal.afterCrash().loseRecordsAbove(3);
        LedgerFlusher storageAfter = storage.afterCrash();

        // when it starts accepting the loss, takes a write and is flushed
        var recovered = start(builder(storageAfter, truncated).acceptJournalLoss(true));
        WriteHandle<Long> write = increments(recovered, 1);
        recovered.flush(true).await(DURABLE, WAIT);

        // then the 3 records left were recovered, the loss reported, and epochs 4..5 never reused
        JournalLoss loss = recovered.recovery().loss();
        assertThat(loss.any()).isTrue();
        assertThat(loss.journalEnd()).isEqualTo(3);
        assertThat(loss.expectedEnd()).isEqualTo(5);
        assertThat(loss.lostWrites()).isEqualTo(2);
        assertThat(loss.evidence()).contains("storage lacks epochs 4..5, which only the lost records had");
        assertThat(recovered.recovery().replayed()).isEqualTo(3);
        assertThat(write.epoch()).isEqualTo(6);
        assertThat(truncated.acceptedLosses()).containsExactly(5L);
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(4);
        assertThat(storageAfter.ledger().isExactlyOnceUpTo(6)).as(storageAfter.ledger().toString()).isTrue();

        // and the next start, without accepting anything, finds no loss
        recovered.stop();
        var again = start(builder(storageAfter.afterCrash(), truncated.afterCrash()));
        assertThat(again.recovery().loss()).isEqualTo(JournalLoss.NONE);
        assertThat(increments(again, 1).epoch()).isEqualTo(7);
    }

    @Test
    void shouldRecordAnAcceptedLossEvenWhenNothingIsWrittenBeforeTheNextStart() {
        // given an accepted loss and a stop with no new write
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(storage, journal));
        increments(ring, 5).await(JOURNALED, WAIT);
        MemoryJournal truncated = journal.afterCrash().loseRecordsAbove(2);
        LedgerFlusher storageAfter = storage.afterCrash();
        start(builder(storageAfter, truncated).acceptJournalLoss(true)).stop();

        // when it starts again without accepting anything
        var again = start(builder(storageAfter.afterCrash(), truncated.afterCrash()));

        // then there is nothing to refuse, and epochs still continue after the lost ones
        assertThat(again.recovery().loss().any()).isFalse();
        assertThat(increments(again, 1).epoch()).isEqualTo(6);
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(2);
    }

    @Test
    void shouldRefuseStorageAheadOfTheJournalAndOnAcceptanceTellWhatALaggingSinkLacks() {
        // given storage and a sink at epoch 4, a sink that got nothing, and a journal that lost everything
        LedgerFlusher storage = new LedgerFlusher(true);
        LedgerSink audit = new LedgerSink(true);
        LedgerSink index = new LedgerSink(true);
        index.hold();
        var ring = start(builder(storage, new MemoryJournal()).sink("audit", audit, SinkOptions.required())
                             .sink("index", index, SinkOptions.optional()));
        increments(ring, 4);
        ring.flush(true).await(DURABLE, WAIT);
        LedgerFlusher storageAfter = storage.afterCrash();
        LedgerSink auditAfter = audit.afterCrash();
        LedgerSink indexAfter = index.afterCrash();
        index.release();

        // when it starts with an empty journal (its file deleted, and its end marker with it)
        MemoryJournal empty = new MemoryJournal().loseEndMarker();
        var refused = builder(storageAfter, empty).sink("audit", auditAfter, SinkOptions.required())
                                                  .sink("index", indexAfter, SinkOptions.optional()).build();

        // then it is refused, naming the positions
        assertThatThrownBy(refused::start).isInstanceOf(JournalLossException.class)
                                          .hasMessageContaining("storage holds epochs up to 4 but the journal ends at epoch 0")
                                          .hasMessageContaining("sink 'audit' holds epochs up to 4")
                                          .hasMessageContaining("0 journaled writes are in neither the journal nor storage");

        // and accepted, the lagging sink's gap is reported and new epochs continue after storage's
        var accepted = start(builder(storageAfter, empty).sink("audit", auditAfter, SinkOptions.required())
                                                         .sink("index", indexAfter, SinkOptions.optional())
                                                         .acceptJournalLoss(true));
        assertThat(accepted.recovery().loss().evidence()).contains("sink 'index' lacks epochs 1..4, which only the lost records had");
        assertThat(accepted.recovery().loss().lostWrites()).isZero();
        assertThat(increments(accepted, 1).epoch()).isEqualTo(5);
    }

    @Test
    void shouldRefuseAJournalThatLostItsNewestCheckpointRecord() {
        // given a checkpoint at 3, records kept, but the checkpoint record lost (storage cannot tell its position)
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(false);
        var ring = start(builder(storage, journal));
        increments(ring, 3);
        ring.flush(true).await(DURABLE, WAIT);
        increments(ring, 2).await(JOURNALED, WAIT);
        MemoryJournal damaged = journal.afterCrash().loseCheckpointsAbove(0);

        // when it starts: refused
        assertThatThrownBy(builder(storage.afterCrash(), damaged).build()::start)
            .isInstanceOf(JournalLossException.class)
            .hasMessageContaining("its end marker says a checkpoint made epochs up to 3 durable, but its newest checkpoint record is of"
                                  + " durable epoch 0");

        // and accepted: storage is assumed at the lost checkpoint, so epochs 1..3 are not handed to it again
        LedgerFlusher storageAfter = storage.afterCrash();
        var accepted = start(builder(storageAfter, damaged).acceptJournalLoss(true));
        accepted.flush(true).await(DURABLE, WAIT);
        assertThat(accepted.recovery().storage()).isEqualTo(new RecoveryReport.TargetPosition("storage", 3, false));
        assertThat(accepted.recovery().loss().lostWrites()).isZero();
        assertThat(storageAfter.ledger().ranges()).containsExactly(new EpochRange(1, 3), new EpochRange(4, 5));
        assertThat(storageAfter.ledger().total("balance")).isEqualTo(5);
    }

    @Test
    void shouldNotCallItALossWhenTheJournalKeepsNoEndMarkerAndNoTargetIsAhead() {
        MemoryJournal journal = new MemoryJournal();
        LedgerFlusher storage = new LedgerFlusher(true);
        var ring = start(builder(storage, journal));
        increments(ring, 3).await(JOURNALED, WAIT);

        var recovered = start(builder(storage.afterCrash(), journal.afterCrash().loseEndMarker()));

        assertThat(recovered.recovery().loss()).isEqualTo(JournalLoss.NONE);
        assertThat(recovered.recovery().replayed()).isEqualTo(3);
    }

    private EpochRingBuilder<Put, Long, Map<String, Long>, Map<String, Long>> builder(LedgerFlusher flusher, MemoryJournal journal) {
        return EpochRing.builder(new CounterDelta(), flusher).journal(journal, new PutCodec()).flushInterval(Duration.ofHours(1))
                        .errorHandler(e -> { });
    }

    private <W, R, F, S> EpochRing<W, R, F, S> start(EpochRingBuilder<W, R, F, S> builder) {
        EpochRing<W, R, F, S> ring = builder.build();
        rings.add(ring);
        return ring.start();
    }

    /** Adds 1 to "balance" {@code count} times; @return the last write's handle */
    private static WriteHandle<Long> increments(EpochRing<Put, Long, ?, ?> ring, int count) {
        WriteHandle<Long> last = null;
        for (int i = 0; i < count; i++) {
            last = ring.channel("default").write(new Put("balance", 1));
        }
        last.await(APPLIED);
        return last;
    }
}
