package io.epochring.journal;

import io.epochring.journal.WireFields.MalformedException;
import io.epochring.journal.WireFields.Typed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import static io.epochring.journal.DocumentHeader.SIZE;
import static io.epochring.journal.DocumentHeader.hex;
import static io.epochring.journal.DocumentHeader.isComplete;
import static io.epochring.journal.DocumentHeader.isMetaData;
import static io.epochring.journal.DocumentHeader.length;
import static io.epochring.journal.DocumentHeader.next;

/**
 * Checks Chronicle Queue's {@value #FILE_NAME} with plain reads, before Chronicle opens the
 * directory. The file holds no records: a header ({@code header: !STStore { wireType, metadata:
 * !SCQMeta { roll, ... } }}) and then one small document per key (the listing of cycles,
 * Chronicle's write lock, ...), each an event name and a value. Chronicle, given garbage here,
 * waits on what it takes for a lock held by someone else and then reports a lock problem; this
 * names the file and the offset instead.
 *
 * <p>Not damage: a file that was never written. Chronicle creates the file at its mapped size and
 * then writes its header, so a writer killed in between (while the journal is being created) leaves
 * nothing but zeros. The file holds no records and no setting yet, so the next writer replaces it
 * ({@link #replaceIfNeverWritten}); readers, which change nothing, are told that.
 */
final class MetadataFileVerifier {

    static final String FILE_NAME = "metadata.cq4t";

    /** Longer than Chronicle's header or any of its entries can be. */
    private static final int MAX_HEADER_LENGTH = 64 << 10;

    private MetadataFileVerifier() {
    }

    /**
     * @return the first damage found, or null when the file reads as Chronicle's metadata
     * @throws IOException when the file cannot be read at all
     */
    static FileDamage verify(Path file) throws IOException {
        try (FileBytes in = FileBytes.open(file)) {
            long size = in.size();
            if (in.holdsOnlyZeros()) {
                return new FileDamage(FILE_NAME, -1, 0, "Chronicle Queue's metadata file " + FILE_NAME + " was never written: it "
                                      + "holds " + size + " bytes of zeros and no header, as a writer killed while creating the "
                                      + "journal leaves it. It holds no records and no settings: a coordinator opening the journal "
                                      + "replaces it, or move it out of the journal directory to read the journal now");
            }
            if (size < SIZE) {
                return damage(0, "it is " + size + " bytes long, too short for its header");
            }
            int word = in.intAt(0);
            if (!isComplete(word) || !isMetaData(word) || length(word) > MAX_HEADER_LENGTH || SIZE + length(word) > size) {
                return damage(0, "its first 4 bytes (" + hex(word) + ") are not the start of its header");
            }
            try {
                Map<String, Object> header = WireFields.parse(in.bytesAt(SIZE, length(word)));
                if (!(header.get("header") instanceof Typed typed) || !"STStore".equals(typed.type())) {
                    return damage(0, "its header is not a Chronicle Queue metadata header (found " + header.keySet() + ")");
                }
            } catch (MalformedException e) {
                return damage(0, "its header is damaged: " + e.getMessage());
            }
            return checkEntries(in, size, next(0, word));
        }
    }

    /**
     * Deletes the metadata file if it was never written (see the class comment), so that Chronicle
     * writes a new one. Only a writer holding the journal's writer lock may call this: no other
     * writer can be creating the file at the same time.
     *
     * @return whether the file was deleted
     * @throws IOException when the file cannot be read or deleted
     */
    static boolean replaceIfNeverWritten(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        try (FileBytes in = FileBytes.open(file)) {
            if (!in.holdsOnlyZeros()) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        Files.delete(file);
        return true;
    }

    /** Each entry: a complete document of one event name and its value, up to the zeros after the last. */
    private static FileDamage checkEntries(FileBytes in, long size, long first) throws IOException {
        for (long position = first; position + SIZE <= size; ) {
            int word = in.intAt(position);
            if (word == 0) {
                return null;
            }
            if (!isComplete(word) || length(word) > MAX_HEADER_LENGTH || position + SIZE + length(word) > size) {
                return damage(position, "the entry at byte offset " + position + " is not a complete document (header word " + hex(word) + ")");
            }
            try {
                if (WireFields.parse(in.bytesAt(position + SIZE, length(word))).isEmpty()) {
                    throw new MalformedException("it is empty");
                }
            } catch (MalformedException e) {
                return damage(position, "the entry at byte offset " + position + " is damaged: " + e.getMessage());
            }
            position = next(position, word);
        }
        return null;
    }

    private static FileDamage damage(long offset, String problem) {
        return new FileDamage(FILE_NAME, -1, offset, "Chronicle Queue's metadata file " + FILE_NAME + " is damaged: " + problem);
    }
}
