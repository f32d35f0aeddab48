package io.epochring;

import java.util.List;

/**
 * What a reader sees at one moment: the live delta, the frozen deltas waiting for the flush thread
 * (newest first), the storage snapshot, and the delta that storage last accepted. Immutable; a new
 * view is published at every freeze and after every flush. Read newest to oldest
 * ({@code live}, then {@code frozen}, then {@code snapshot}) to see every applied write.
 *
 * @param live        the live delta's read view
 * @param frozen      frozen deltas not yet written, newest first
 * @param snapshot    the storage snapshot, including every written delta
 * @param lastWritten the delta most recently written to storage, or null before the first flush
 * @param version     increases by one with every published view
 * @param <F>         the delta read type
 * @param <S>         the storage snapshot type
 */
public record View<F, S>(F live, List<F> frozen, S snapshot, F lastWritten, long version) {

    public View {
        frozen = List.copyOf(frozen);
    }
}
