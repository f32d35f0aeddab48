package io.epochring;

/**
 * {@link EpochRing#start()} refused a journal that lost records: its records end below what its
 * end marker, its newest checkpoint or a target's position says was journaled (see
 * {@link JournalLoss}). Nothing was changed on disk. Restore the lost journal files, or accept the
 * loss with {@link EpochRingBuilder#acceptJournalLoss} to recover what is left.
 */
public final class JournalLossException extends RecoveryFailedException {

    private final transient JournalLoss loss;

    public JournalLossException(String message, JournalLoss loss) {
        super(message, 0, null, null);
        this.loss = loss;
    }

    /** @return what was found lost */
    public JournalLoss loss() {
        return loss;
    }
}
