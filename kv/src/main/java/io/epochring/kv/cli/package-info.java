/**
 * The {@code epochring} command-line tool ({@link io.epochring.kv.cli.EpochRingCli}), packaged
 * as {@code kv/target/epochring.jar} with the JVM flags Chronicle Queue needs in its manifest.
 *
 * <pre>
 *  epochring demo      producers --publish/write--> KvStore (journal + RocksDB, temp dir)
 *                        |  1 write in N: futures at APPLIED, JOURNALED, WRITTEN, DURABLE -> HdrHistogram
 *                        |  ProgressLine (stderr): writes/s, watermarks, flushes
 *                        v
 *                      flush(sync) -> verify every key -> close, reopen (recover) -> verify -> summary
 *    --peer rocksdb    the same DemoWrites -> RocksDbPeer (db.put, RocksDbDurability) -> PeerComparison
 *
 *  epochring cluster-demo
 *                      3 x ClusterDemoProcess --java -cp--> ClusterDemoNode: KvStore + ClusterMember (Aeron Cluster)
 *                        |  ClusterWriter (this JVM, own media driver): puts awaiting REPLICATED, --in-flight at a time
 *                        |  half-way: kill -9 of the leader; the other two elect a new one, the writer resends to it
 *                        |  new leader acknowledged: ClusterDemoRestart starts the killed node on its directory; it waits
 *                        |  for its Aeron mark files to be 10 s old, then catches up from the cluster log
 *                        v
 *                      await its catch-up -> stop all three (STOP on stdin) -> ClusterDemoVerification: journals + stores
 *
 *  epochring recover   KvStore.open (replays the journal above its checkpoint) -> report -> close (flush)
 *  epochring inspect   JournalInspector: summary + records, writes decoded with KvCodec or --codec (text or JSON)
 *                        --follow: then JournalInspector.follow* until Ctrl-C/SIGTERM (FollowStop: exit 0) or --follow-for
 * </pre>
 *
 * <p>Errors: bad options and bad directories exit with 2, failures while running with 1; either
 * way the error is one line on stderr naming what is wrong and what to do ({@code --verbose}
 * adds the stack trace).
 */
package io.epochring.kv.cli;
