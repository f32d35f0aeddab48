package io.epochring.journal;

/**
 * The 4-byte word before every document in a Chronicle Queue file (the file header, index arrays,
 * records, and the entries of {@code metadata.cq4t}), as Chronicle Wire writes it: the low 30 bits
 * are the content's length, bit 30 marks metadata (Chronicle's own documents) as opposed to data
 * (a record), bit 31 marks a document still being written. Zero means nothing was written there;
 * {@link #END_OF_DATA} ends a file the writer rolled away from. Documents start 4-byte aligned.
 */
final class DocumentHeader {

    static final int NOT_COMPLETE = 0x8000_0000;
    static final int META_DATA = 0x4000_0000;
    static final int LENGTH_MASK = 0x3FFF_FFFF;
    static final int END_OF_DATA = NOT_COMPLETE | META_DATA;
    static final int SIZE = 4;

    private DocumentHeader() {
    }

    /** @return whether a whole document was written after this word */
    static boolean isComplete(int word) {
        return word != 0 && (word & NOT_COMPLETE) == 0;
    }

    static boolean isMetaData(int word) {
        return (word & META_DATA) != 0;
    }

    static int length(int word) {
        return word & LENGTH_MASK;
    }

    /** @return where the document after the one at {@code position} starts */
    static long next(long position, int word) {
        long end = position + SIZE + length(word);
        return end + (-end & 3);
    }

    static String hex(int word) {
        return "0x" + String.format("%08x", word);
    }
}
