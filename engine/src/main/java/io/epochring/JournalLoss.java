package io.epochring;

import java.util.List;

/**
 * Records a journal had lost, as {@code start()} found them: what the journal's records end at
 * against the highest epoch something else recorded as journaled (the journal's end marker or
 * checkpoint, a target's position). {@code start()} refuses such a journal with a
 * {@link JournalLossException} unless the loss is accepted ({@link EpochRingBuilder#acceptJournalLoss});
 * then {@link RecoveryReport#loss()} carries it.
 *
 * @param journalEnd  the epoch the journal's readable records end at
 * @param expectedEnd the highest epoch recorded anywhere as journaled; new epochs continue after it
 * @param lostWrites  how many epochs of {@code journalEnd + 1 .. expectedEnd} storage does not hold
 *                    either: those writes are gone (a target below storage may lack more; see
 *                    {@code evidence})
 * @param evidence    what showed the loss, and what each target lacks, one line each
 */
public record JournalLoss(long journalEnd, long expectedEnd, long lostWrites, List<String> evidence) {

    /** No loss. */
    public static final JournalLoss NONE = new JournalLoss(0, 0, 0, List.of());

    public JournalLoss {
        evidence = List.copyOf(evidence);
    }

    /** @return whether anything was lost */
    public boolean any() {
        return !evidence.isEmpty();
    }

    @Override
    public String toString() {
        if (!any()) {
            return "no journal loss";
        }
        return "the journal's records end at epoch " + journalEnd + " but epochs up to " + expectedEnd + " were journaled: "
               + lostWrites + " write" + (lostWrites == 1 ? "" : "s") + " lost (" + String.join("; ", evidence) + ")";
    }
}
