package io.epochring.journal;

import io.epochring.JournalCorruptedException;

import java.nio.file.Path;
import java.util.List;

/**
 * How the journal reports damage: what is wrong, where, and what to do. Recovery and
 * {@link JournalInspector} build their errors here, so both give the same verdict in the same words.
 */
final class JournalDamage {

    /** What to do about damage in a cycle file. */
    static final String REMEDY = "Restore the journal directory from a backup; or, if losing the writes in the damaged file is"
                                 + " acceptable, move that file out of the journal directory and recover with the accept-journal-loss"
                                 + " option (epochring recover --accept-journal-loss)";

    private JournalDamage() {
    }

    /** @return the error for a damaged record, or records missing, met while reading records in order */
    static JournalCorruptedException inRecords(String problemAndPlace) {
        return new JournalCorruptedException("journal is corrupt: " + problemAndPlace + ". Nothing after this point was replayed. " + REMEDY);
    }

    /** @return the error for a record that Chronicle Queue itself could not read */
    static JournalCorruptedException unreadable(String place, Throwable chronicleFailure) {
        return new JournalCorruptedException("journal is corrupt: Chronicle Queue could not read " + place + ": the file's structure is"
                                             + " damaged there (Chronicle's own error is this exception's cause). Nothing after this point"
                                             + " was replayed. " + REMEDY, chronicleFailure);
    }

    /**
     * @param damaged every damaged file found by the structure checks, oldest cycle first; the
     *                first is described in full
     * @return the error for files whose structure is damaged
     */
    static JournalCorruptedException inStructure(Path directory, List<FileDamage> damaged) {
        FileDamage first = damaged.get(0);
        StringBuilder message = new StringBuilder("journal is corrupt: ").append(first.problem()).append(" - at ").append(first.where(directory));
        if (damaged.size() > 1) {
            message.append(" (also damaged:");
            for (FileDamage other : damaged.subList(1, damaged.size())) {
                message.append(' ').append(other.file()).append(other.record() < 0 ? "" : " from record " + other.record())
                       .append(" at byte offset ").append(other.offset()).append(';');
            }
            message.setLength(message.length() - 1);
            message.append(')');
        }
        message.append(". No record was read and no journal file was changed. ");
        if (first.record() < 0) {
            message.append(first.file()).append(" holds Chronicle Queue's settings and file listing, no records: move it out of the journal"
                                                + " directory (keep it for diagnosis) and start again; Chronicle Queue writes a new one");
        } else {
            message.append(REMEDY);
        }
        return new JournalCorruptedException(message.toString());
    }
}
