/**
 * EpochRing's journal on Chronicle Queue: the {@link io.epochring.Journal} a coordinator appends
 * every write to, recovers from, and checkpoints into; plus retention and read-only inspection.
 * Entry points: {@link io.epochring.journal.ChronicleJournal#builder(java.nio.file.Path)} and
 * {@link io.epochring.journal.JournalInspector#open(java.nio.file.Path)}.
 *
 * <pre>
 *  ring journal thread                      flush thread (after Flusher.sync)
 *  append(epoch, channel, payload) -------+  checkpoint(durable, written) ---------+
 *  appendRejected(...) (same, type 3)     |                                        |
 *    one Chronicle document per record    |    hint: APPENDING (forced if syncing) |
 *    (visible at once, never torn)        |    CHECKPOINT record; msync unless     |
 *  commit() at ring batch end             |    SyncPolicy.NONE; hint: SETTLED(idx) |
 *                                         |    retention sweep (if on)             |
 *    SyncPolicy: NONE | PER_BATCH msync   |                                        |
 *    | INTERVAL msync                     v                                        v
 *                   +----------------------------------------------------------------+
 *  journal dir      | 20261125-12F.cq4 | 20261125-13F.cq4 | 20261125-14F.cq4 (newest) |
 *                   +----------------------------------------------------------------+
 *                   metadata.cq4t (Chronicle)   epochring-writer.lock
 *                   epochring-checkpoint.hint (where the newest checkpoint record is)
 *                   epochring-codec.id (the codec's name and version, before the first record)
 *                   epochring-end.marker (last committed epoch, last checkpoint: what must be there)
 *                   retention-audit.jsonl (one JSON line per deleted file)
 *
 *  one record (little-endian; CRC32C over everything before it):
 *  +-----+------+--------+--------+---------+-----------------+---------+---------+-------+
 *  | ver | type | chLen  | payLen | epoch   | prev write epoch| channel | payload | crc32c|
 *  | 1 B | 1 B  | 2 B    | 4 B    | 8 B     | 8 B             | chLen B | payLen B| 4 B   |
 *  +-----+------+--------+--------+---------+-----------------+---------+---------+-------+
 *    type 1 = WRITE; type 2 = CHECKPOINT (chLen = payLen = 0; epoch = durable,
 *    prev write epoch = written; no channel or payload); type 3 = REJECTED_WRITE (a write
 *    Delta.apply threw for: laid out and chained like a WRITE, replayed to onRejected);
 *    type 4 = LOST (epochs prev+1..epoch lost and accepted: chained, no channel or payload,
 *    never replayed)
 *
 *  recovery (EpochRing.start): bindCodec(n, v)   -- refused unless epochring-codec.id names this
 *                                                   codec (a new journal notes it, written later)
 *                              (first read)       -- structure check of every file (header, end,
 *                                                   index), then a read-only queue: nothing written
 *                              lastCheckpoint()  -- hint SETTLED: the hinted record and the last
 *                                                   one; else read on from the hinted record
 *                              replay(durable)   -- binary search to the first write above durable,
 *                                                   then every record, checked, in order: the one
 *                                                   pass over the writes (in place, in runs of
 *                                                   records between Chronicle's own documents)
 *                              lastEpoch()       -- the newest write or checkpointed epoch
 *                              recordedEnd()     -- the end marker: records ending below it were lost
 * </pre>
 *
 * <p>What recovery and the inspector check before Chronicle opens a file, with plain reads: that
 * each cycle file has a complete header; that it is long enough for the last record its header
 * names (else where it was cut); that Chronicle's index arrays are whole and each entry points,
 * in order, at the start of a journal record; and that {@code metadata.cq4t} reads as Chronicle's
 * metadata. Damage there is reported with the file, the record and the byte offset before any
 * record is read, and no file is changed (a writable Chronicle queue would extend a short file, or
 * rename one without a header). The files are opened for writing by the first append or checkpoint.
 *
 * <p>What replay checks, so that nothing is skipped silently: each record's version, type,
 * lengths and CRC; that each write names the previous write's epoch (a missing record breaks the
 * chain); and that each file ends where Chronicle's header says its last complete record is (a
 * truncated file or a damaged header stops Chronicle early). A record torn by a crash is never
 * visible: Chronicle marks a document complete only when it is whole.
 *
 * <p>One writer per directory: a writer locks the journal directory itself with {@code flock(2)}
 * as well as {@code epochring-writer.lock}, which describes it ({@link io.epochring.journal.DirectoryLock}),
 * so deleting that file lets no second writer in; readers take no lock.
 *
 * <p>What a failed write does: the first append, commit or checkpoint that throws (a full disk, an
 * I/O error on the mapped file) stops the journal object. Every later one is refused with a
 * {@link io.epochring.journal.JournalWriteFailedException}; closing it and opening the directory
 * again recovers every record that was written whole. A full disk is found before a record is
 * begun: the journal allocates disk blocks ahead of the mapped writes ({@code fallocate}, or
 * writing zeros where that fails; about 1 MiB at a time, and the next roll-cycle file before
 * Chronicle creates it, as {@code <cycle>.precreated}), so it never has a record cut off at a page
 * the disk had no room for.
 */
package io.epochring.journal;
