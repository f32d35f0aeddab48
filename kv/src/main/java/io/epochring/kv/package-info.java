/**
 * A key-value store on the EpochRing engine, flushing into an embedded RocksDB database: the
 * reference for building a store on the coordinator.
 *
 * <pre>
 *  put / delete / add (any thread)                              get / scan (any thread)
 *        |                                                            |
 *        v                                                            v  one View, read newest first
 *  EpochRing: epoch -> journal (KvCodec) -> apply                 +-----------------------------+
 *        |                                   |                     | live     KvSegment (hash)   |
 *        |              KvDelta: live MemSegment (hash map) -------+ frozen   KvSegment (sorted)  |
 *        |              freeze = swap it for an empty one ---------+   ...    newest first       |
 *        v                                                         | snapshot KvSnapshot (RocksDB |
 *  flush thread: RocksDbFlusher                                    |          snapshot, ref-    |
 *     seal (sort) -> one WriteBatch -> new RocksDB snapshot -------+          counted)          |
 *     sync = WAL sync -> DURABLE -> journal checkpoint             +-----------------------------+
 *
 *  &lt;dir&gt;/db       RocksDB: value = sequence(8) + bytes; meta family: format, last written epoch
 *  &lt;dir&gt;/journal  Chronicle Queue journal: replayed above the last checkpoint at open
 *  &lt;dir&gt;/epochring-writer.lock  who has the store open; the store also holds flock(2) on
 *                 &lt;dir&gt; itself, taken before RocksDB is opened (deleting lock files lets no one in)
 * </pre>
 *
 * <p>{@link io.epochring.kv.KvStore} is the entry point. {@link io.epochring.kv.KvDelta},
 * {@link io.epochring.kv.KvCodec} and {@link io.epochring.kv.RocksDbFlusher} are the engine SPI
 * implementations it is built from, public for those who assemble their own coordinator.
 *
 * <p>Design note (adds): an add is applied as a put of the counter's new value, so segments and
 * RocksDB hold plain values. Working it out reads the key through the same layers as a reader
 * does, from the apply thread (before the coordinator runs, during the journal replay: through
 * the segments replay froze and RocksDB as opened, which holds exactly the epochs below the
 * replay). The layers always hold every earlier write once, so a replayed add sums to what it
 * did the first time.
 *
 * <p>Design note (why reads never see half a flush): the engine replaces the {@code View} at each
 * freeze (the frozen segment joins the view) and after each flush (the segment leaves, the new
 * snapshot arrives, in one step). A frozen segment and a snapshot never change, and each RocksDB
 * write batch is atomic, so a reader that merges one view's layers sees every key either in a
 * frozen segment or in the snapshot, never in neither.
 */
package io.epochring.kv;
