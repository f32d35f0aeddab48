package io.epochring.journal;

import io.epochring.journal.WireFields.LongArray;
import io.epochring.journal.WireFields.MalformedException;
import io.epochring.journal.WireFields.Typed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static io.epochring.journal.DocumentHeader.SIZE;
import static io.epochring.journal.DocumentHeader.hex;
import static io.epochring.journal.DocumentHeader.isComplete;
import static io.epochring.journal.DocumentHeader.isMetaData;
import static io.epochring.journal.DocumentHeader.length;
import static io.epochring.journal.DocumentHeader.next;

/**
 * Checks the structure of one Chronicle Queue cycle file with plain reads, before Chronicle maps
 * it: everything Chronicle relies on to find a record by number or to find the end of the file.
 * Chronicle itself, meeting such damage, waits for a header that never comes, throws a
 * {@link NullPointerException} from deep inside its reader, or (opened for writing) extends or
 * renames the file; this names the file, the first affected record and the byte offset instead.
 *
 * <p>The layout, as Chronicle Queue writes it (documents are 4-byte aligned, each after a
 * {@link DocumentHeader} word):
 * <pre>
 *  0       header (metadata):  header: !SCQStore { writePosition: [position, sequence],
 *                                indexing: !SCQSIndexing { indexCount, indexSpacing, index2Index, lastIndex },
 *                                dataFormat }
 *  ...     top-level index (metadata, at index2Index):  index2index: [indexCount slots]
 *                                each slot: the offset of a second-level index, or 0
 *  ...     second-level index (metadata):  index: [indexCount slots]
 *                                slot j of index k: the offset of record (k * indexCount + j) * indexSpacing
 *  ...     records (data), more second-level indexes as the file grows, END_OF_DATA once rolled
 * </pre>
 * {@code writePosition} is the offset of the last complete record, and the low bits of
 * {@code sequence} are that record's number within the file.
 *
 * <p>What is checked: the header is complete and readable; the file is long enough to hold the
 * last record the header records (else: where the file was cut, found by walking documents from
 * the nearest index entry); there is a complete record at {@code writePosition}; every index array
 * is a complete metadata document inside the file; and every index entry points, in increasing
 * order, at a complete record no later than the last one, whose first bytes are a journal
 * record's format version and type. The records' contents are not verified here (the journal's
 * reader checks each record it reads), so this looks at one word per indexed record (every 16th
 * with the default roll cycle), read {@value FileBytes#READ_AHEAD} bytes at a time (see
 * {@link FileBytes}), not a check of every record.
 */
final class CycleFileVerifier {

    /** The longest first header Chronicle accepts. */
    private static final int MAX_HEADER_LENGTH = 64 << 10;
    /** Larger index geometry than any roll cycle uses: the header is garbage. */
    private static final int MAX_INDEX_COUNT = 1 << 24;
    /** An index array's document beyond its slots: its name, padding, the array's code, capacity and count. */
    private static final int INDEX_DOCUMENT_OVERHEAD = 256;
    /** Documents walked to find where a cut-short file ends; an index entry is rarely more than a few hundred back. */
    private static final int MAX_WALK = 1 << 20;

    private final FileBytes in;
    private final String name;
    private final boolean newest;
    private long size;
    private long headerEnd;
    private int headerLength;
    private long writePosition;
    /** The number of the record at {@link #writePosition}, or -1 when the header does not say. */
    private long lastRecord = -1;
    private boolean headerReread;
    private int indexCount;
    private int indexSpacing;
    private long index2Index;

    /** The second-level index arrays by top-level slot (null: no array), and where each one's slots start. */
    private LongArray[] secondaries = new LongArray[0];
    private long[] slotsAt = new long[0];

    /** Stops the checks at the first damage found. */
    private static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;
        final transient FileDamage damage;

        Damaged(FileDamage damage) {
            super(damage.problem(), null, false, false);
            this.damage = damage;
        }
    }

    private CycleFileVerifier(FileBytes in, String name, boolean newest) {
        this.in = in;
        this.name = name;
        this.newest = newest;
    }

    /**
     * @param newest whether this is the journal's newest cycle file
     * @return the first damage found, or null when the file's structure is sound
     * @throws IOException when the file cannot be read at all
     */
    static FileDamage verify(Path file, boolean newest) throws IOException {
        try (FileBytes in = FileBytes.open(file)) {
            return new CycleFileVerifier(in, file.getFileName().toString(), newest).run();
        }
    }

    /**
     * @return whether {@code file}, a journal's newest cycle file, has no header yet: a writer was
     *         killed while Chronicle created it (see {@link #readHeader()}), so it holds no record
     * @throws IOException when the file cannot be read at all
     */
    static boolean isUnfinishedNewest(Path file) throws IOException {
        try (FileBytes in = FileBytes.open(file)) {
            CycleFileVerifier verifier = new CycleFileVerifier(in, file.getFileName().toString(), true);
            verifier.size = in.size();
            try {
                return !verifier.readHeader();
            } catch (Damaged d) {
                return false; // damage, which verify() reports
            }
        }
    }

    /**
     * @return whether nothing but zeros follows the first 4 bytes (the header word) of an unfinished
     *         newest file: Chronicle never wrote any of its header, let alone a record, so deleting it
     *         loses nothing. Anything else (header bytes, or a damaged header word in front of records)
     *         is kept.
     */
    static boolean isBlankAfterHeaderWord(Path file) throws IOException {
        try (FileBytes in = FileBytes.open(file)) {
            return in.holdsOnlyZerosFrom(SIZE);
        }
    }

    private FileDamage run() throws IOException {
        try {
            size = in.size();
            if (!readHeader()) {
                return null;
            }
            Damaged indexDamage = null;
            try {
                readIndexArrays();
            } catch (Damaged d) {
                indexDamage = d;
            }
            // A cut-short file reports where it was cut, even when that also cut off an index.
            checkLastRecord(indexDamage == null);
            if (indexDamage != null) {
                throw indexDamage;
            }
            checkIndexEntries();
            return null;
        } catch (Damaged d) {
            return d.damage;
        }
    }

    // ---- the header ---------------------------------------------------------------------------

    /**
     * @return false for a newest file that holds nothing but zeros: Chronicle creates a cycle file
     *         at its full mapped size and then writes the header first, so a writer killed between
     *         the two leaves exactly this, and no record can have been written to it; the same for a
     *         newest file whose header word is still marked incomplete (killed while writing the
     *         header, before which no record is written). Readers pass it by as Chronicle does. A file cut to 0 bytes, or with any data
     *         behind a zeroed header, held records and is damage.
     */
    private boolean readHeader() throws IOException, Damaged {
        String unreadable = "the file has no valid Chronicle Queue header, so none of its records can be read: ";
        if (size == 0) {
            throw damaged(0, 0, "the file is empty (0 bytes): it has no Chronicle Queue header, so none of its records can be read");
        }
        if (size < SIZE) {
            throw damaged(0, 0, unreadable + "the file is only " + size + " bytes long");
        }
        int word = in.intAt(0);
        if (word == 0 && newest && in.holdsOnlyZeros()) {
            return false;
        }
        if (word == 0) {
            throw damaged(0, 0, unreadable + "its first 4 bytes are zero (the start of the file was overwritten with zeros,"
                                + " or the file's creation never finished)");
        }
        if (!isComplete(word) && newest) {
            return false; // killed while writing the header: records come only after it, so none was written here
        }
        if (!isComplete(word)) {
            throw damaged(0, 0, unreadable + "its header was never completed (header word " + hex(word) + ")");
        }
        if (!isMetaData(word) || length(word) > MAX_HEADER_LENGTH) {
            throw damaged(0, 0, unreadable + "its first 4 bytes (" + hex(word) + ") are not the start of one");
        }
        headerLength = length(word);
        if (SIZE + headerLength > size) {
            throw damaged(0, size, "the file is cut short: it is " + size + " bytes, shorter than its own header ("
                                   + (SIZE + headerLength) + " bytes), so none of its records can be read");
        }
        headerEnd = next(0, word);
        parseHeader();
        return true;
    }

    private void parseHeader() throws IOException, Damaged {
        String damagedHeader = "the file's Chronicle Queue header is damaged, so none of its records can be read: ";
        try {
            Map<String, Object> header = WireFields.parse(in.bytesAt(SIZE, headerLength));
            Map<String, Object> store = object(header.get("header"), "SCQStore");
            Object position = store.get("writePosition");
            long sequence = 0;
            if (position instanceof LongArray array && array.values().length >= 1) {
                writePosition = array.values()[0];
                sequence = array.values().length > 1 ? array.values()[1] : 0;
            } else if (position instanceof Long single) {
                writePosition = single;
            } else {
                throw new MalformedException("it has no writePosition");
            }
            Map<String, Object> indexing = object(store.get("indexing"), "SCQSIndexing");
            indexCount = powerOfTwo(indexing.get("indexCount"), "indexCount");
            indexSpacing = powerOfTwo(indexing.get("indexSpacing"), "indexSpacing");
            if (!(indexing.get("index2Index") instanceof Long index)) {
                throw new MalformedException("it has no index2Index");
            }
            index2Index = index;
            lastRecord = recordAt(writePosition, sequence);
        } catch (MalformedException e) {
            throw damaged(0, 0, damagedHeader + e.getMessage());
        }
        if (writePosition < 0 || index2Index < 0) {
            throw damaged(0, 0, damagedHeader + "it names a negative byte offset (writePosition " + writePosition
                                + ", index2Index " + index2Index + ")");
        }
    }

    /**
     * Chronicle keeps the last record's number next to its position: the number in the low bits,
     * the position's low bits above them, so a reader can tell the two were written together.
     */
    private long recordAt(long position, long sequence) {
        int shift = Math.max(32, 2 * Integer.numberOfTrailingZeros(indexCount) + Integer.numberOfTrailingZeros(indexSpacing));
        if (sequence == 0 || position == 0 || sequence >>> shift != (position << shift) >>> shift) {
            return -1;
        }
        return sequence & ((1L << shift) - 1);
    }

    /** Re-reads the header once: a writer working alongside (the inspector's case) may have moved on. */
    private boolean rereadHeader() throws IOException, Damaged {
        if (headerReread) {
            return false;
        }
        headerReread = true;
        in.discardReadAhead(); // a writer alongside has moved on: bytes read ahead before now may be stale
        size = in.size();
        long before = writePosition;
        parseHeader();
        return writePosition != before;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String type) throws MalformedException {
        if (value instanceof Typed typed && type.equals(typed.type()) && typed.value() instanceof Map<?, ?> fields) {
            return (Map<String, Object>) fields;
        }
        throw new MalformedException("expected a !" + type + " object, found " + describe(value));
    }

    private static int powerOfTwo(Object value, String field) throws MalformedException {
        if (value instanceof Long number && number > 0 && number <= MAX_INDEX_COUNT && Long.bitCount(number) == 1) {
            return number.intValue();
        }
        throw new MalformedException(field + " is " + describe(value) + ", not a power of two up to " + MAX_INDEX_COUNT);
    }

    private static String describe(Object value) {
        return value instanceof Typed typed ? "!" + typed.type() : value == null ? "nothing" : String.valueOf(value);
    }

    // ---- the end of the file --------------------------------------------------------------------

    /** The header names the last complete record: it must be there, whole. */
    private void checkLastRecord(boolean indexReadable) throws IOException, Damaged {
        if (writePosition == 0) {
            return; // no record written yet
        }
        String last = "record " + (lastRecord >= 0 ? lastRecord : "?");
        if (writePosition < headerEnd || (writePosition & 3) != 0) {
            throw damaged(Math.max(lastRecord, 0), 0, "the file's Chronicle Queue header is damaged: it says its last " + last
                                                    + " starts at byte offset " + writePosition + ", which cannot be the start of a record");
        }
        if (within(writePosition + SIZE)) {
            int word = in.intAt(writePosition);
            boolean whole = isComplete(word) && within(writePosition + SIZE + length(word));
            if (whole && !isMetaData(word)) {
                return;
            }
            if (whole || !isComplete(word)) {
                throw firstBadDocument(indexReadable, "its header says its last " + last + " starts at byte offset " + writePosition
                                                      + " (header word there: " + hex(word) + "), but ");
            }
        }
        throw firstBadDocument(indexReadable, "the file is cut short: it is " + size + " bytes, but its header says records were written up to"
                                              + " byte offset " + writePosition + " (" + last + "); ");
    }

    /**
     * Walks documents forward from the last index entry that is still in the file (else from the
     * header) to the first one that is missing or cut: the first damage, by record number.
     */
    private Damaged firstBadDocument(boolean indexReadable, String context) throws IOException {
        long[] start = indexReadable ? lastIndexedRecordInFile() : new long[] {headerEnd, 0};
        long position = start[0];
        long record = start[1];
        for (int walked = 0; walked < MAX_WALK && position <= writePosition; walked++) {
            if (position + SIZE > size) {
                return damaged(record, position, context + "the file ends at byte offset " + size + ", where record " + record + " should start");
            }
            int word = in.intAt(position);
            if (!isComplete(word)) {
                return damaged(record, position, context + "there is no complete record at byte offset " + position + " (header word "
                                                 + hex(word) + "), where record " + record + " should start");
            }
            long end = position + SIZE + length(word);
            if (end > size) {
                return damaged(record, position, context + (isMetaData(word)
                    ? "Chronicle's index at byte offset " + position + " (" + (end - position) + " bytes) runs past the end of the file, before record " + record
                    : "record " + record + " at byte offset " + position + " (" + (end - position) + " bytes) runs past the end of the file"));
            }
            if (!isMetaData(word)) {
                record++;
            }
            position = next(position, word);
        }
        return damaged(Math.max(lastRecord, 0), writePosition, context + "reading the file forward does not reach a record at byte offset "
                                                             + writePosition);
    }

    /** @return {position, record number} of the last indexed record whose header is inside the file */
    private long[] lastIndexedRecordInFile() throws IOException {
        for (int k = secondaries.length - 1; k >= 0; k--) {
            LongArray slots = secondaries[k];
            for (int j = slots == null ? -1 : slots.values().length - 1; j >= 0; j--) {
                long position = slots.values()[j];
                if (position >= headerEnd && (position & 3) == 0 && position + SIZE <= size && position <= writePosition) {
                    int word = in.intAt(position);
                    if (isComplete(word) && !isMetaData(word)) {
                        return new long[] {position, recordOf(k, j)};
                    }
                }
            }
        }
        return new long[] {headerEnd, 0};
    }

    // ---- the index ------------------------------------------------------------------------------

    private void readIndexArrays() throws IOException, Damaged {
        if (index2Index == 0) {
            return; // never indexed: Chronicle reads such a file from its start
        }
        LongArray top = indexArray(index2Index, "index2index", 0, 0);
        long topSlotsAt = slotsStart(index2Index, top);
        secondaries = new LongArray[indexCount];
        slotsAt = new long[indexCount];
        for (int k = 0; k < indexCount; k++) {
            long address = top.values()[k];
            long slotAt = topSlotsAt + 8L * k;
            if (address == 0) {
                if (k < top.used()) {
                    throw damaged(recordOf(k, 0), slotAt, "Chronicle's top-level index has no entry " + k + " (at byte offset " + slotAt
                                                        + ") though it counts " + top.used() + " in use");
                }
                continue;
            }
            secondaries[k] = indexArray(address, "index", recordOf(k, 0), slotAt);
            slotsAt[k] = slotsStart(address, secondaries[k]);
        }
    }

    /** Reads the index array document at {@code position}, referred to from byte offset {@code referrer}. */
    private LongArray indexArray(long position, String field, long firstRecord, long referrer) throws IOException, Damaged {
        String what = "Chronicle's " + ("index".equals(field) ? "index for records from " + firstRecord : "top-level index")
                      + " (at byte offset " + position + ", named at byte offset " + referrer + ")";
        if (position < headerEnd || (position & 3) != 0 || !within(position + SIZE)) {
            throw damaged(firstRecord, referrer, what + " is not inside the file (" + size + " bytes) after its header");
        }
        int word = in.intAt(position);
        if (!isComplete(word) || !isMetaData(word)) {
            throw damaged(firstRecord, position, what + " has no complete header (header word " + hex(word) + ")");
        }
        if (length(word) > 8L * indexCount + INDEX_DOCUMENT_OVERHEAD) {
            throw damaged(firstRecord, position, what + " is " + length(word) + " bytes long, too long for an array of " + indexCount + " slots");
        }
        if (!within(position + SIZE + length(word))) {
            throw damaged(firstRecord, position, what + " runs past the end of the file (" + size + " bytes)");
        }
        try {
            Map<String, Object> fields = WireFields.parse(in.bytesAt(position + SIZE, length(word)));
            if (fields.size() == 1 && fields.get(field) instanceof LongArray array && array.capacity() == indexCount) {
                return array;
            }
            throw new MalformedException("expected " + field + ": an array of " + indexCount + " slots, found " + fields.keySet());
        } catch (MalformedException e) {
            throw damaged(firstRecord, position, what + " is damaged: " + e.getMessage());
        }
    }

    /** The array's slots are the last bytes of its document. */
    private long slotsStart(long position, LongArray array) throws IOException {
        return position + SIZE + length(in.intAt(position)) - 8L * array.capacity();
    }

    private void checkIndexEntries() throws IOException, Damaged {
        // A read per entry, and a large file has tens of thousands, a kilobyte or so apart: read ahead.
        in.readAhead();
        long previous = 0;
        for (int k = 0; k < secondaries.length; k++) {
            LongArray slots = secondaries[k];
            if (slots == null) {
                continue;
            }
            for (int j = 0; j < slots.values().length; j++) {
                long position = slots.values()[j];
                if (position != 0) {
                    checkIndexEntry(recordOf(k, j), slotsAt[k] + 8L * j, position, previous);
                    previous = position;
                }
            }
        }
    }

    private void checkIndexEntry(long record, long at, long position, long previous) throws IOException, Damaged {
        if (!within(position + SIZE)) {
            throw damaged(record, at, entry(record, at, position) + ", past the end of the file (" + size + " bytes)");
        }
        if (position < headerEnd || (position & 3) != 0) {
            throw damaged(record, at, entry(record, at, position) + ", which cannot be the start of a record");
        }
        if (position <= previous) {
            throw damaged(record, at, entry(record, at, position) + ", not after the entry for an earlier record (byte offset " + previous + ")");
        }
        while (position > writePosition || lastRecord >= 0 && record > lastRecord) {
            if (!rereadHeader()) {
                throw damaged(record, at, entry(record, at, position) + ", but the file's header says its last record is record "
                                          + (lastRecord >= 0 ? lastRecord : "?") + " at byte offset " + writePosition);
            }
        }
        // One read: the header word, then the record's format version and type. A pointer into the middle of
        // a record can meet bytes that read as a header; the record's own first bytes are not faked as easily.
        long head = position + 8 <= size ? in.longAt(position) : in.intAt(position);
        int word = (int) head;
        if (!isComplete(word) || isMetaData(word) || !within(position + SIZE + length(word))) {
            throw damaged(record, at, entry(record, at, position) + ", where there is no complete record (header word " + hex(word) + ")");
        }
        byte version = (byte) (head >>> 8 * (SIZE + RecordFormat.VERSION_OFFSET));
        byte type = (byte) (head >>> 8 * (SIZE + RecordFormat.TYPE_OFFSET));
        if (length(word) < RecordFormat.CHECKPOINT_LENGTH || version != RecordFormat.VERSION
            || type != RecordFormat.TYPE_WRITE && type != RecordFormat.TYPE_CHECKPOINT && type != RecordFormat.TYPE_REJECTED_WRITE
               && type != RecordFormat.TYPE_LOST) {
            throw damaged(record, at, entry(record, at, position) + ", which is not the start of a journal record (there: header word "
                                      + hex(word) + ", format version " + version + ", record type " + type + ")");
        }
    }

    /** The start of a damaged index entry's description: built only for damage, as a large file has tens of thousands of entries. */
    private static String entry(long record, long at, long position) {
        return "Chronicle's index entry for record " + record + " (at byte offset " + at + ") points to byte offset " + position;
    }

    /**
     * @return whether the file reaches {@code end}; asks for its length again before saying no, as
     *         a writer working alongside (the inspector's case) grows the file as it goes
     */
    private boolean within(long end) throws IOException {
        if (end <= size) {
            return true;
        }
        size = in.size();
        return end <= size;
    }

    private long recordOf(int topSlot, int slot) {
        return ((long) topSlot * indexCount + slot) * indexSpacing;
    }

    private Damaged damaged(long record, long offset, String problem) {
        return new Damaged(new FileDamage(name, record, offset, problem));
    }
}
