package io.epochring.kv.cli;

import io.epochring.ThreadingMode;
import io.epochring.kv.cli.EpochRingCliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.epochring.kv.cli.EpochRingCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code demo --peer}: the same workload on RocksDB alone, side by side with EpochRing. Never asserts which is faster. */
class DemoPeerTest {

    @TempDir
    Path tmp;

    // ---- options --------------------------------------------------------------------------------

    @Test
    void shouldAcceptRocksDbAsAPeerInAnyCase() {
        assertThat(new Converters.PeerName().convert("rocksdb")).isEqualTo(Peer.ROCKSDB);
        assertThat(new Converters.PeerName().convert(" RocksDB ")).isEqualTo(Peer.ROCKSDB);
        assertThat(run("demo", "--help").out()).contains("--peer=SYSTEM", "rocksdb");
    }

    @Test
    void shouldRefuseAnUnknownPeerNamingTheValidOnes() {
        Run run = run("demo", "--writes", "10", "--peer", "postgres");

        assertThat(run.exit()).isEqualTo(EpochRingCli.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                                  .startsWith("epochring demo: Invalid value for option '--peer': 'postgres' is not a peer the demo knows"
                                              + " (use one of: rocksdb)")
                                  .endsWith("(see 'epochring demo --help')");
        assertThat(run.out()).isEmpty();
    }

    // ---- runs -----------------------------------------------------------------------------------

    @Test
    void shouldRunTheSamePutsOnRocksDbAndPrintBothWithTheirRatio() throws IOException {
        Path store = tmp.resolve("store");

        Run run = run("demo", "--writes", "20000", "--keys", "1000", "--sample-every", "64", "--dir", store.toString(),
                      "--peer", "rocksdb");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("result      OK")
                             .contains("RocksDB alone: the same 2 producers x 20,000 puts over 1,000 keys, 100-byte values,"
                                       + " each producer thread calling db.put")
                             .contains("durability  WAL on, never synced (setSync(false))")
                             .contains("why         as the journal under --sync none")
                             .containsPattern("throughput  40,000 puts in [0-9.]+ s = [0-9,]+ puts/s\n")
                             .contains("EpochRing vs RocksDB alone")
                             .containsPattern("\n  EpochRing +[0-9,]+ +[0-9.]+ s +0  journal, never msynced; JOURNALED\n")
                             .containsPattern("\n  RocksDB +[0-9,]+ +[0-9.]+ s +0  WAL, never synced\n")
                             .containsPattern("ratio       EpochRing / RocksDB = [0-9]+\\.[0-9]{2}x");
        // the peer's database went next to the store, and is gone: only the EpochRing store is left
        Path peer = peerDirectory(run);
        assertThat(peer.getParent()).isEqualTo(tmp);
        assertThat(peer.getFileName().toString()).startsWith(RocksDbPeer.DIRECTORY_PREFIX);
        assertThat(run.out()).contains("deleted     " + peer);
        assertThat(peer).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).containsExactly(store);
        }
    }

    @Test
    void shouldSyncTheWalAsOftenAsTheJournalWasSyncedAndKeepOnlyTheEpochRingStore() throws IOException {
        Run run = run("demo", "--writes", "20000", "--keys", "1000", "--sample-every", "64", "--sync", "batch", "--keep",
                      "--peer", "rocksdb");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        // the same group size on both sides: EpochRing's writes per msync is how many puts a producer makes per WAL sync
        Matcher epochRing = Pattern.compile("\n  EpochRing +[0-9,]+ +[0-9.]+ s +([0-9,]+)  journal msynced per ring batch,"
                                            + " ([0-9,]+) writes each on average; JOURNALED\n").matcher(run.out());
        assertThat(epochRing.find()).as(run.out()).isTrue();
        long journalSyncs = number(epochRing.group(1));
        String perSync = epochRing.group(2);
        assertThat(journalSyncs).isPositive();
        String every = number(perSync) == 1 ? "every " : "every " + perSync;
        assertThat(run.out()).containsPattern("durability  WAL on, synced by " + every + "[a-z]{0,2} ?put of each producer \\(setSync\\(true\\)\\),"
                                              + " and once at the end")
                             .contains("why         a ring batch is a group commit")
                             .contains("rather than committing a synced WriteBatch")
                             .containsPattern("\n  RocksDB +[0-9,]+ +[0-9.]+ s +[0-9,]+  WAL synced by " + every)
                             .containsPattern("ratio       EpochRing / RocksDB = [0-9]+\\.[0-9]{2}x");
        // --keep kept the EpochRing store, never the peer's database
        Path store = Path.of(run.out().lines().filter(l -> l.startsWith("  kept")).findFirst().orElseThrow().split("\\s+")[2]);
        try {
            assertThat(store.resolve("journal")).isDirectory();
            assertThat(peerDirectory(run)).doesNotExist();
        } finally {
            DemoShutdown.deleteTree(store);
        }
    }

    @Test
    void shouldDisableTheWalWhenEpochRingRunsWithoutAJournal() {
        Run run = run("demo", "--writes", "5000", "--keys", "500", "--no-journal", "--dir", tmp.resolve("store").toString(),
                      "--peer", "ROCKSDB");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("durability  WAL disabled (setDisableWAL(true))")
                             .containsPattern("\n  EpochRing +[0-9,]+ +[0-9.]+ s +0  no journal; APPLIED\n")
                             .containsPattern("\n  RocksDB +[0-9,]+ +[0-9.]+ s +0  WAL disabled\n");
        assertThat(peerDirectory(run)).doesNotExist();
    }

    // ---- the durability match and the ratio -----------------------------------------------------

    @Test
    void shouldMatchEachJournalPolicyWithWalOptions() {
        RocksDbDurability noJournal = RocksDbDurability.matching(config(false, SyncMode.NONE), 0, 0);
        RocksDbDurability none = RocksDbDurability.matching(config(true, SyncMode.NONE), 1000, 0);
        RocksDbDurability batch = RocksDbDurability.matching(config(true, SyncMode.BATCH), 1000, 333);
        RocksDbDurability interval = RocksDbDurability.matching(config(true, SyncMode.INTERVAL), 1000, 4);

        assertThat(noJournal.wal()).isFalse();
        assertThat(noJournal.syncs()).isFalse();
        assertThat(none.wal()).isTrue();
        assertThat(none.syncs()).isFalse();
        assertThat(IntStream.range(0, 100).filter(none::syncNow)).isEmpty();
        // 1000 writes in 333 msyncs: a sync every 3 puts of each producer
        assertThat(batch.every()).isEqualTo(3);
        assertThat(IntStream.range(0, 10).filter(batch::syncNow)).containsExactly(2, 5, 8);
        assertThat(batch.label()).isEqualTo("WAL synced by every 3rd put of each producer");
        // the interval (24h) has not passed since the policy was made
        assertThat(interval.syncs()).isTrue();
        assertThat(IntStream.range(0, 100).filter(interval::syncNow)).isEmpty();
        assertThat(interval.label()).isEqualTo("WAL synced every 24h");
    }

    @Test
    void shouldRoundTheWritesPerSyncAndSyncOnceAtTheEndWhenTheJournalNeverSynced() {
        assertThat(RocksDbDurability.writesPerSync(1000, 400, 500)).isEqualTo(3);
        assertThat(RocksDbDurability.writesPerSync(10, 20, 5)).isEqualTo(1);
        assertThat(RocksDbDurability.writesPerSync(1000, 0, 500)).isEqualTo(500);
        assertThat(RocksDbDurability.matching(config(true, SyncMode.BATCH), 1000, 1).label())
            .isEqualTo("WAL synced by every 1,000th put of each producer");
        assertThat(RocksDbDurability.matching(config(true, SyncMode.BATCH), 1000, 1000).label())
            .isEqualTo("WAL synced by every put of each producer");
    }

    @Test
    void shouldGiveTheRatioOfThroughputsEpochRingOverThePeer() {
        ComparedRun epochRing = new ComparedRun("EpochRing", 1000, 1_000_000_000L, 0, "x");
        ComparedRun peer = new ComparedRun("RocksDB", 1000, 4_000_000_000L, 0, "y");
        ComparedRun untimed = new ComparedRun("RocksDB", 1000, 0, 0, "y");

        assertThat(new PeerComparison(epochRing, peer).ratio()).isEqualTo(4.0);
        assertThat(new PeerComparison(peer, epochRing).ratio()).isEqualTo(0.25);
        assertThat(new PeerComparison(epochRing, untimed).ratio()).isNaN();
    }

    @Test
    void shouldGiveEachProducerTheSamePutsEveryTime() throws Exception {
        DemoWrites writes = new DemoWrites(10, 3, 16);
        StringBuilder first = new StringBuilder();
        StringBuilder second = new StringBuilder();

        writes.generate(1, 50, (i, k, key, value) -> first.append(k).append(':').append(java.util.Arrays.hashCode(value)).append(' '));
        writes.generate(1, 50, (i, k, key, value) -> second.append(k).append(':').append(java.util.Arrays.hashCode(value)).append(' '));

        assertThat(first.toString()).isEqualTo(second.toString());
        // producer 1 of 3 owns keys 1, 4 and 7
        assertThat(first.toString().split(" ")).allSatisfy(put -> assertThat(put).matches("[147]:-?[0-9]+"));
        assertThat(new String(writes.key(42))).isEqualTo("key-00000042");
    }

    private static DemoWorkload.Config config(boolean journal, SyncMode sync) {
        return new DemoWorkload.Config(500, 2, 100, 8, journal, sync, Duration.ofHours(24), null, false, Duration.ofMillis(200), 1 << 20,
                                       ThreadingMode.SINGLE_THREAD, 16, 64, 16);
    }

    private static Path peerDirectory(Run run) {
        String marker = "RocksDB alone";
        String afterHeader = run.out().substring(run.out().indexOf(marker));
        return Path.of(afterHeader.lines().filter(l -> l.startsWith("  store")).findFirst().orElseThrow().split("\\s+")[2]);
    }

    private static long number(String formatted) {
        return Long.parseLong(formatted.replace(",", ""));
    }
}
