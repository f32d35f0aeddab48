/**
 * JMH benchmarks of EpochRing against the peer a user would otherwise write and the bare ceiling,
 * measured in the same run. Classes are named after the pipeline shape they measure.
 *
 * <pre>
 *  OneToOneApplyThroughput   1 producer --tryPublish x 1000--> [coordinator] --apply--> APPLIED watermark polled
 *  TwoToOneApplyThroughput   2 producers, own channel each --> [coordinator] --apply--> last write of each batch polled
 *  PingPongApplyLatency      1 producer: write(w) --> [coordinator] --apply--> await(APPLIED), one at a time
 *  PingPongApplyLatencyTunedJvm   the same, pre-touched heap, no G1 refinement threads, producer and applier pinned
 *
 *  [coordinator] is one of (rows of every table):
 *    epochRing  EpochRing, SINGLE_THREAD or THREAD_PER_STAGE, with a Disruptor wait strategy
 *    peer       peer.BlockingQueueCoordinator: ArrayBlockingQueue + one apply thread (java.util.concurrent)
 *    ceiling    CeilingRing: the same Disruptor ring with one empty handler
 *
 *  JournaledThroughput   1 producer --tryPublish x 1000--> EpochRing --journal (sync NONE)--> JOURNALED polled
 *  DurableGroupCommit    the same with sync PER_BATCH: one msync per ring batch
 *  ReplayThroughput      journal of 1,000,000 records --start(): find checkpoint, replay, apply--> running ring
 *
 *  their ceiling is raw Chronicle Queue on the benchmark thread, the journal's record bytes (RawJournalRecord):
 *    JournaledThroughput   append x 1000
 *    DurableGroupCommit    append x 1000, appender.sync() every syncEvery appends (the observed ring batch)
 *    ReplayThroughput      a tailer reading the 1,000,000 records
 * </pre>
 *
 * <p>Every row uses {@link io.epochring.bench.CounterDelta} and {@link io.epochring.bench.NoopFlusher}
 * with the same flush settings (the replay rows a flusher that cannot sync, so the journal keeps no
 * checkpoint), and its producers wait the same way, so the rows differ only in their pipelines.
 * {@code report.PerfReport} renders a run's JSON into {@code perf-results/}.
 */
package io.epochring.bench;
