package io.epochring;

/**
 * A view subscriber fell more than its buffer behind and missed updates. Resubscribe and rebuild
 * from the current view.
 */
public final class MessageLostException extends EpochRingException {

    public MessageLostException(int bufferSize) {
        super("the subscriber fell more than " + bufferSize + " view updates behind and missed some: resubscribe and rebuild from the current view");
    }
}
