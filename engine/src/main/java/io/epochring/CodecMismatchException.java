package io.epochring;

/**
 * A journal was not written with the coordinator's {@link WriteCodec}: it recorded another codec
 * name or version, or it holds records but does not know which codec wrote them. Refused at
 * {@code start()} before anything is replayed: decoding one codec's bytes with another can give
 * writes that look valid and are wrong.
 */
public final class CodecMismatchException extends EpochRingException {

    private final String recorded;
    private final String requested;

    /**
     * @param message   what was refused and what to do
     * @param recorded  the codec the journal recorded, as {@code 'name' version n}; null when it recorded none
     * @param requested the codec it was opened with, in the same form
     */
    public CodecMismatchException(String message, String recorded, String requested) {
        super(message);
        this.recorded = recorded;
        this.requested = requested;
    }

    /** @return the codec the journal recorded, as {@code 'name' version n}; null when it recorded none */
    public String recorded() {
        return recorded;
    }

    /** @return the codec the journal was opened with, as {@code 'name' version n} */
    public String requested() {
        return requested;
    }
}
