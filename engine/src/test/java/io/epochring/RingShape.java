package io.epochring;

/** The ways a ring can be laid out, for behaviour that must hold in each. */
enum RingShape {
    /** Every stage on one thread, any number of producers (the default). */
    SINGLE_THREAD,
    /** A thread per stage, any number of producers. */
    THREAD_PER_STAGE,
    /** Every stage on one thread, writes from one producer thread, commands through the inbox. */
    SINGLE_PRODUCER;

    <W, R, F, S> EpochRingBuilder<W, R, F, S> on(EpochRingBuilder<W, R, F, S> builder) {
        return switch (this) {
            case SINGLE_THREAD -> builder.threadingMode(ThreadingMode.SINGLE_THREAD);
            case THREAD_PER_STAGE -> builder.threadingMode(ThreadingMode.THREAD_PER_STAGE);
            case SINGLE_PRODUCER -> builder.threadingMode(ThreadingMode.SINGLE_THREAD).singleProducer(true);
        };
    }
}
