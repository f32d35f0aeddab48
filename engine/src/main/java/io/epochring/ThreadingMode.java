package io.epochring;

/**
 * How the ring's stages are laid onto consumer threads.
 */
public enum ThreadingMode {
    /**
     * The whole chain (sequence, journal, apply, publish) runs on one consumer thread. Best on
     * small machines: no hand-off between stages, one thread to wake. The default (see README).
     */
    SINGLE_THREAD,
    /**
     * One consumer thread per stage, chained on the ring LMAX style; stages overlap on different
     * slots. Pays off only with a core per stage.
     */
    THREAD_PER_STAGE
}
