package io.epochring.journal;

import java.nio.file.Path;

/**
 * What is wrong with one journal file, and where the first damage is.
 *
 * @param file    the file's name, e.g. {@code 20261125-13F.cq4}
 * @param record  the number within the file of the first record the damage makes unreadable
 *                (0 for the first), or -1 for a file that holds no records ({@code metadata.cq4t})
 * @param offset  the byte offset of the first damaged bytes
 * @param problem what is wrong, as a sentence fragment
 */
record FileDamage(String file, long record, long offset, String problem) {

    /** @return the place, worded as recovery's reader words it */
    String where(Path directory) {
        return record < 0 ? "byte offset " + offset + " of " + file + " of journal " + directory
                          : "file " + file + " of journal " + directory + ", record " + record + " of that file (byte offset " + offset + ")";
    }
}
