package io.epochring.journal;

import io.epochring.JournalCorruptedException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.util.NavigableSet;

/**
 * Reads verified records from a journal queue in order, one at a time, and refuses to skip any.
 * On top of each record's own checks ({@link RecordReader}) it checks that write records chain
 * (each names the previous write's epoch), and at the end of each file that nothing after the last
 * readable record was lost: Chronicle keeps the position of the last complete document in the
 * file header, so a damaged header or a truncated file that makes Chronicle stop early is noticed.
 *
 * <p>Design note (runs): a raw Chronicle tailer spends most of its time per record on the
 * document itself (a document context, finding and checking the header, index bookkeeping), so
 * replay opening a document per record cost as much again as all of its own checks. With
 * {@link #readsRuns}, after each document the tailer opens, the records that follow it in the same
 * file are read one header word each, with every check of a record read
 * through its own document; the tailer is then moved past the run, and must find its last record
 * where the run did. The records of a run are read from the file with plain reads rather than
 * from Chronicle's fresh mapping of it ({@link RunWindow} says why).
 *
 * <p>Chronicle tailers belong to the thread that creates them: create, use and close a cursor on
 * one thread.
 */
final class JournalCursor implements AutoCloseable {

    /** Chronicle's document header: a 4-byte length word before the content. */
    private static final int DOCUMENT_HEADER_LENGTH = 4;
    private static final long UNKNOWN = -1;

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final RollCycle rollCycle;
    final RecordReader record = new RecordReader();
    /** Where runs are read from; made by the first run. */
    private RunWindow runs;
    /** Read write records' headers only (see {@link RecordReader#readHeader}); for locating the end. */
    boolean headersOnly;
    /**
     * Read on past each document {@link #next(RecordVisitor)} opens, through the records that follow
     * it in the same file, read into a window of it (see {@link #readRunInPlace}); for replay.
     */
    boolean readsRuns;

    /** The current record's place: Chronicle index, cycle and byte offset of its content. */
    long index;
    int cycle;
    long position;

    /** Records read since this cursor was created: what locating the end cost. */
    long recordsRead;
    /** Of those, the records read in place after an open document rather than through their own (see {@link #readsRuns}). */
    long recordsReadInRuns;
    /** Records read since the tailer was last placed, and the index it was placed at (-1: the start); for errors. */
    private long recordsSinceMove;
    private long movedTo = -1;

    private long lastWriteEpoch = UNKNOWN;
    private long floorEpoch = UNKNOWN;
    /** The file of the last record read, and where that record is: to check nothing was lost after it. */
    private int tailCycle = Integer.MIN_VALUE;
    private long tailHeaderPosition = UNKNOWN;
    private String tailFile;
    private long tailIndex;
    private long tailEpoch;
    private boolean tailCheckpoint;
    /** Set while the visitor has a record: what it throws then is the visitor's own, not Chronicle's. */
    private boolean visiting;
    /** Since when (System.nanoTime) {@link #nextLive} has found records missing after the same last record; -1: it has not. */
    private long missingSince = UNKNOWN;
    private int missingAfterCycle;
    private long missingAfterPosition;

    JournalCursor(SingleChronicleQueue queue) {
        this.queue = queue;
        this.rollCycle = queue.rollCycle();
        this.tailer = queue.createTailer();
    }

    /** To the end of the journal: reading on returns only records appended from now on. */
    void toEnd() {
        placed(-1);
        try {
            tailer.direction(TailerDirection.FORWARD).toEnd();
        } catch (RuntimeException | InternalError e) {
            throw JournalDamage.unreadable("the last record of journal " + queue.file(), e);
        }
        resetChecks(UNKNOWN);
    }

    /** Back to the first record of the oldest file. */
    void toStart() {
        placed(-1);
        try {
            tailer.direction(TailerDirection.FORWARD).toStart();
        } catch (RuntimeException | InternalError e) {
            throw unreadable(e);
        }
        resetChecks(UNKNOWN);
    }

    private void placed(long queueIndex) {
        movedTo = queueIndex;
        recordsSinceMove = 0;
    }

    /**
     * Positions the cursor so that reading on returns every write with an epoch above
     * {@code afterEpoch} and no write at or below it (checkpoints in between come along). Finds the
     * place by binary search over the files' record numbers, so recovery does not read the part of
     * the journal that is already durable.
     */
    void seekAfter(long afterEpoch) {
        if (afterEpoch <= 0) {
            toStart();
            return;
        }
        long[] cycles = cycles();
        long[] starts = new long[cycles.length + 1];
        for (int i = 0; i < cycles.length; i++) {
            starts[i + 1] = starts[i] + recordsInCycle((int) cycles[i]);
        }
        long low = 0;
        long high = starts[cycles.length];
        while (low < high) {
            long middle = (low + high) >>> 1;
            long epoch = findWrite(indexOf(cycles, starts, middle), TailerDirection.FORWARD, Integer.MIN_VALUE);
            if (epoch == -1 || epoch > afterEpoch) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        if (low == starts[cycles.length]) {
            try {
                tailer.toEnd();
            } catch (RuntimeException | InternalError e) {
                throw unreadable(e);
            }
        } else {
            moveTo(indexOf(cycles, starts, low));
        }
        resetChecks(afterEpoch);
    }

    /** @return whether a record with this Chronicle index exists; the next read returns it */
    boolean moveTo(long queueIndex) {
        boolean found;
        placed(queueIndex);
        try {
            found = tailer.direction(TailerDirection.FORWARD).moveToIndex(queueIndex);
        } catch (RuntimeException | InternalError e) {
            throw unreadableAt(queueIndex, e);
        }
        resetChecks(UNKNOWN);
        return found;
    }

    /**
     * Sees each record {@link #next(RecordVisitor)} reads while its document is still open: the only
     * time the record's {@link RecordReader#payload} may be read (it can point into the mapped
     * file, which Chronicle may unmap once the cursor moves on).
     */
    @FunctionalInterface
    interface RecordVisitor {
        /**
         * @param record the record just read, verified and found in sequence; what it throws is
         *               passed on to the caller of {@code next} as it is
         */
        void visit(RecordReader record);
    }

    /**
     * Reads the next record. Its scalar fields ({@code record.epoch}, type, channel, ...) stay
     * readable after; its payload does not: use {@link #next(RecordVisitor)} for that.
     *
     * @return false at the end of the journal
     * @throws JournalCorruptedException when the record, or the journal around it, is damaged
     */
    boolean next() {
        return next(null);
    }

    /**
     * Reads the next record and hands it to {@code visitor} before its document closes, once it
     * is verified and in sequence (so a damaged record, or a gap before it, is reported first).
     *
     * @param visitor null for none
     * @return false at the end of the journal
     * @throws JournalCorruptedException when the record, or the journal around it, is damaged
     */
    boolean next(RecordVisitor visitor) {
        if (readRecord(true, visitor)) {
            return true;
        }
        if (!recordsMissingAtEnd()) {
            return false;
        }
        // A live writer may have completed a record between our read and the check: look once more.
        if (readRecord(true, visitor)) {
            return true;
        }
        if (recordsMissingAtEnd()) {
            throw recordsLost();
        }
        return false;
    }

    /**
     * Reads the next record of a journal a writer may still be appending to: like {@link #next()},
     * but the end of the journal is not final. Where {@link #next()} reports records missing after
     * the last readable one (the file's header says a complete record starts beyond it), this
     * returns false while that may be a record the writer is completing, and reports it once the
     * same record has stayed unreadable for {@code graceNanos}.
     *
     * @param visitor gets the record while its document is open, as with {@link #next(RecordVisitor)}; null for none
     * @return false at the end of the journal for now: call again later
     * @throws JournalCorruptedException when the record, or the journal around it, is damaged
     */
    boolean nextLive(long graceNanos, RecordVisitor visitor) {
        if (readRecord(true, visitor)) {
            missingSince = UNKNOWN;
            return true;
        }
        if (!recordsMissingAtEnd()) {
            missingSince = UNKNOWN;
            return false;
        }
        long now = System.nanoTime();
        if (missingSince == UNKNOWN || missingAfterCycle != tailCycle || missingAfterPosition != tailHeaderPosition) {
            missingSince = now;
            missingAfterCycle = tailCycle;
            missingAfterPosition = tailHeaderPosition;
            return false;
        }
        if (now - missingSince < graceNanos) {
            return false;
        }
        throw recordsLost();
    }

    /** @return the current record's file name (the cycle file), e.g. {@code 20261125-13F.cq4} */
    String fileName() {
        File file = tailer.currentFile();
        return file == null ? "cycle " + cycle : file.getName();
    }

    /** @return the current record's number within its file (0 for the first) */
    long sequenceInFile() {
        return rollCycle.toSequenceNumber(index);
    }

    /** @return the last write epoch read since the last seek, or -1 */
    long lastWriteEpoch() {
        return lastWriteEpoch;
    }

    /** Describes where the current record is, for messages. */
    String where() {
        return "file " + fileName() + " of journal " + queue.file() + ", record " + sequenceInFile()
               + " of that file (index 0x" + Long.toHexString(index) + ", byte offset " + position + ")";
    }

    /** @return an error about the current record, naming where it is and what to do */
    JournalCorruptedException corrupted(String problem) {
        return journalCorrupt(problem + " - at " + where() + describeRecord());
    }

    private static JournalCorruptedException journalCorrupt(String problemAndPlace) {
        return JournalDamage.inRecords(problemAndPlace);
    }

    private String describeRecord() {
        if (!record.epochKnown) {
            return "";
        }
        if (!record.checksumOk) {
            return ", epoch field " + record.epoch + " (unverified)";
        }
        if (record.isCheckpoint()) {
            return ", checkpoint of durable epoch " + record.epoch + " (written " + record.secondEpoch + ")";
        }
        if (record.isLost()) {
            return ", a record of epochs " + (record.secondEpoch + 1) + ".." + record.epoch + " lost";
        }
        return ", epoch " + record.epoch + (record.isRejected() ? " (a rejected write)" : "");
    }

    @Override
    public void close() {
        try {
            tailer.close();
        } finally {
            if (runs != null) {
                runs.close();
            }
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    /**
     * Reads and verifies the next record and, before its document closes (the record may be read
     * in place: see {@link RecordReader}), checks its sequence and hands it to {@code visitor};
     * with {@link #readsRuns}, the records after it in the same file too.
     */
    private boolean readRecord(boolean inSequence, RecordVisitor visitor) {
        visiting = false;
        long runEnd = UNKNOWN;
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            recordsRead++;
            recordsSinceMove++;
            Bytes<?> bytes = dc.wire().bytes();
            index = dc.index();
            cycle = tailer.cycle();
            position = bytes.readPosition();
            String problem = headersOnly ? record.readHeader(bytes) : record.read(bytes);
            if (problem != null) {
                throw corrupted(problem);
            }
            if (inSequence) {
                checkRecordSequence();
            }
            if (visitor != null) {
                visiting = true;
                visitor.visit(record);
                visiting = false;
            }
            if (readsRuns && inSequence && visitor != null && !headersOnly && record.readInPlace()) {
                long first = index;
                if (readRunInPlace(visitor) != first) {
                    runEnd = index; // the tailer is past the document only: move it past the run
                }
            }
        } catch (JournalCorruptedException e) {
            throw e;
        } catch (RuntimeException | InternalError e) {
            if (visiting) {
                throw e; // the visitor's own failure (a user's codec, say): not Chronicle's
            }
            // Chronicle fails in its own ways on damaged files (bad header, unmappable region).
            throw unreadable(e);
        } finally {
            record.release();
        }
        if (runEnd != UNKNOWN) {
            moveTailerPast(runEnd);
        }
        return true;
    }


    /**
     * Replay's fast path: reads on, in place, through the documents that follow the open one in its
     * file (read into {@link #runs}), each exactly as {@link #readRecord} would: read and verified,
     * checked in sequence, handed to the visitor. Chronicle's per-document work (a document context,
     * its header and index bookkeeping) is what a raw tailer spends most of its time on; here a
     * document costs one header word.
     *
     * <p>It stops before anything that is not a plain complete record lying whole in the window: an
     * incomplete or empty header (the end of what was written), Chronicle's own metadata (an index
     * array, the end-of-file marker of a rolled file), a document longer than the window or past the
     * file's end, one too short to be a record. Chronicle's tailer then reads on from there as usual:
     * see {@link #moveTailerPast}, which also checks that Chronicle finds the last record of the run
     * where this found it.
     *
     * @return the Chronicle index of the last record read (the open document's when none followed)
     */
    private long readRunInPlace(RecordVisitor visitor) {
        if (runs == null) {
            runs = new RunWindow();
        }
        if (!runs.readFrom(tailer.currentFile())) {
            return index;
        }
        long header = position - DOCUMENT_HEADER_LENGTH;
        if (!runs.holds(header, DOCUMENT_HEADER_LENGTH)) {
            return index;
        }
        int word = runs.intAt(header);
        if (DocumentHeader.length(word) != record.length) {
            return index; // not laid out as expected: leave it all to Chronicle
        }
        while (true) {
            header = DocumentHeader.next(header, word);
            if (!runs.holds(header, DOCUMENT_HEADER_LENGTH)) {
                return index;
            }
            word = runs.intAt(header);
            if (!DocumentHeader.isComplete(word) || DocumentHeader.isMetaData(word)) {
                return index;
            }
            int length = DocumentHeader.length(word);
            long content = header + DOCUMENT_HEADER_LENGTH;
            if (length < RecordFormat.CHECKPOINT_LENGTH || !runs.holds(content, length)) {
                return index;
            }
            // The next record of this file: Chronicle numbers data documents one after another.
            index++;
            position = content;
            recordsRead++;
            recordsReadInRuns++;
            recordsSinceMove++;
            String problem = record.readAt(runs.addressOf(content), length);
            if (problem != null) {
                throw corrupted(problem);
            }
            checkRecordSequence();
            visiting = true;
            visitor.visit(record);
            visiting = false;
        }
    }

    /**
     * Places the tailer after the record with index {@code last}, read in place by
     * {@link #readRunInPlace}: Chronicle reads that record once more, and must find it exactly where
     * the run did, else the run misread the file and nothing it read may stand.
     */
    private void moveTailerPast(long last) {
        long runPosition = position;
        try {
            if (!tailer.moveToIndex(last)) {
                throw runMismatch(last, "Chronicle has no record with that index");
            }
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent() || dc.index() != last || dc.wire().bytes().readPosition() != runPosition) {
                    throw runMismatch(last, dc.isPresent() ? "Chronicle reads record index 0x" + Long.toHexString(dc.index())
                                                             + " at byte offset " + dc.wire().bytes().readPosition() + " there"
                                                           : "Chronicle finds no record there");
                }
            }
        } catch (JournalCorruptedException e) {
            throw e;
        } catch (RuntimeException | InternalError e) {
            throw unreadableAt(last, e);
        }
    }

    private JournalCorruptedException runMismatch(long last, String found) {
        return corrupted("reading on in place found record index 0x" + Long.toHexString(last) + " at byte offset " + position
                         + ", but " + found + ": the file's documents are not laid out as this reader expects");
    }

    private void checkRecordSequence() {
        if (cycle != tailCycle) {
            if (tailCycle != Integer.MIN_VALUE && recordsMissingIn(tailCycle, tailHeaderPosition)) {
                throw recordsLost();
            }
            tailCycle = cycle;
            tailFile = fileName();
        }
        tailHeaderPosition = position - DOCUMENT_HEADER_LENGTH;
        tailIndex = index;
        tailEpoch = record.epoch;
        tailCheckpoint = record.isCheckpoint();
        if (!record.isWrite()) {
            return;
        }
        long previous = record.secondEpoch;
        if (lastWriteEpoch != UNKNOWN && previous != lastWriteEpoch) {
            throw corrupted(previous > lastWriteEpoch
                            ? "write records are missing: this record follows epoch " + previous + " but the last write read was epoch " + lastWriteEpoch
                            : "write record repeats or goes back: it follows epoch " + previous + " but the last write read was epoch " + lastWriteEpoch);
        }
        if (lastWriteEpoch == UNKNOWN && floorEpoch != UNKNOWN && previous > floorEpoch) {
            throw corrupted("write records are missing: the first write above epoch " + floorEpoch + " follows epoch " + previous);
        }
        lastWriteEpoch = record.epoch;
    }

    private boolean recordsMissingAtEnd() {
        return tailCycle != Integer.MIN_VALUE && recordsMissingIn(tailCycle, tailHeaderPosition);
    }

    /** Chronicle records, per file, where the last complete document starts. */
    private boolean recordsMissingIn(int fileCycle, long lastHeaderPosition) {
        SingleChronicleQueueStore store;
        try {
            store = queue.storeForCycle(fileCycle, queue.epoch(), false, null);
        } catch (RuntimeException | InternalError e) {
            throw unreadable(e);
        }
        if (store == null) {
            return false; // deleted by retention since we read it
        }
        try {
            return store.writePosition() > lastHeaderPosition;
        } finally {
            queue.closeStore(store);
        }
    }

    private JournalCorruptedException recordsLost() {
        String last = tailCheckpoint ? ", checkpoint of durable epoch " + tailEpoch : ", epoch " + tailEpoch;
        return journalCorrupt("records are missing at the end of the file " + tailFile + " of journal " + queue.file()
                         + ": its header says a complete record starts after record " + rollCycle.toSequenceNumber(tailIndex)
                         + " of that file (index 0x" + Long.toHexString(tailIndex) + last + "), the last one that can be read"
                         + " (the file was truncated, or a record header was damaged)");
    }

    /** Chronicle failed reading on from the last record read (or, before any, from where the tailer was placed). */
    private JournalCorruptedException unreadable(Throwable e) {
        if (recordsSinceMove == 0) {
            return unreadableAt(movedTo, e);
        }
        return JournalDamage.unreadable("the record after " + where(), e);
    }

    /** Chronicle failed moving to, or reading, the record with Chronicle index {@code queueIndex} (-1: the first record). */
    private JournalCorruptedException unreadableAt(long queueIndex, Throwable e) {
        if (queueIndex < 0) {
            return JournalDamage.unreadable("the first record of journal " + queue.file(), e);
        }
        int fileCycle = rollCycle.toCycle(queueIndex);
        return JournalDamage.unreadable("record " + rollCycle.toSequenceNumber(queueIndex) + " of the file of cycle " + fileCycle
                                        + " of journal " + queue.file() + " (index 0x" + Long.toHexString(queueIndex) + ")", e);
    }

    private void resetChecks(long floor) {
        lastWriteEpoch = UNKNOWN;
        floorEpoch = floor;
        tailCycle = Integer.MIN_VALUE;
        tailHeaderPosition = UNKNOWN;
    }

    // ---- binary search ----------------------------------------------------------------------

    /** @return the cycles of the journal's files, oldest first */
    long[] cycles() {
        int first = queue.firstCycle();
        int last = queue.lastCycle();
        if (first == Integer.MAX_VALUE || last < first) {
            return new long[0];
        }
        NavigableSet<Long> cycles;
        try {
            cycles = queue.listCyclesBetween(first, last);
        } catch (IllegalStateException staleListing) {
            // Chronicle's listing names a file that is gone: retention deletes a file, then updates the
            // listing, and a writer killed in between leaves it so; a read-only queue never refreshes it.
            cycles = RollCycleNames.cyclesOnDisk(queue.file().toPath(), queue.rollCycle(), queue.epoch());
        }
        long[] result = new long[cycles.size()];
        int i = 0;
        for (Long c : cycles) {
            result[i++] = c;
        }
        return result;
    }

    private long indexOf(long[] cycles, long[] starts, long ordinal) {
        int file = 0;
        while (starts[file + 1] <= ordinal) {
            file++;
        }
        return rollCycle.toIndex((int) cycles[file], ordinal - starts[file]);
    }

    /**
     * Reads from {@code queueIndex} in {@code direction}, checking each record but not their
     * sequence, until the first write record.
     *
     * @param withinCycle stop at the edge of this cycle; {@link Integer#MIN_VALUE} for no limit
     * @return that write's epoch, or -1 when there is none
     */
    long findWrite(long queueIndex, TailerDirection direction, int withinCycle) {
        try {
            placed(queueIndex);
            tailer.direction(direction);
            if (!tailer.moveToIndex(queueIndex)) {
                return -1;
            }
            while (readRecord(false, null)) {
                if (withinCycle != Integer.MIN_VALUE && cycle != withinCycle) {
                    return -1;
                }
                if (record.isWrite()) {
                    return record.epoch;
                }
            }
            return -1;
        } catch (JournalCorruptedException e) {
            throw e;
        } catch (RuntimeException | InternalError e) {
            throw unreadable(e);
        } finally {
            tailer.direction(TailerDirection.FORWARD);
            resetChecks(UNKNOWN);
        }
    }

    /** @return the newest write record's epoch, reading back from the journal's last record; -1 when there is none */
    long lastWriteFromEnd() {
        long last;
        try {
            last = queue.lastIndex();
        } catch (RuntimeException | InternalError | AssertionError e) {
            // Chronicle asserts on some damaged files (with -ea); report it like any unreadable file.
            throw JournalDamage.unreadable("the last record of journal " + queue.file(), e);
        }
        return last < 0 ? -1 : findWrite(last, TailerDirection.BACKWARD, Integer.MIN_VALUE);
    }

    /** @return the number of records in the file of {@code fileCycle} */
    long recordsInCycle(int fileCycle) {
        return Math.max(0, tailer.excerptsInCycle(fileCycle));
    }

    /** @return the Chronicle index of record {@code sequence} of the file of {@code fileCycle} */
    long indexOf(int fileCycle, long sequence) {
        return rollCycle.toIndex(fileCycle, sequence);
    }
}
