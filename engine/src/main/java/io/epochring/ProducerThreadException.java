package io.epochring;

/**
 * A coordinator built with {@link EpochRingBuilder#singleProducer(boolean) singleProducer(true)}
 * takes writes from one thread only, the first one that wrote, and this write came from another.
 * Its ring claims slots without atomic instructions, so a second producer would corrupt it: the
 * write is refused before anything is claimed, and handed back unchanged. Writes already accepted
 * are unaffected.
 */
public final class ProducerThreadException extends RejectedWriteException {

    ProducerThreadException(String channel, Thread producer, Thread caller, Object write) {
        super("channel '" + channel + "' refused a write from thread '" + caller.getName() + "': this coordinator was built with"
              + " singleProducer(true) and takes writes only from its producer thread '" + producer.getName() + "' (the first"
              + " that wrote); hand the write to that thread, or build the coordinator without singleProducer(true)",
              write, null, true);
    }
}
