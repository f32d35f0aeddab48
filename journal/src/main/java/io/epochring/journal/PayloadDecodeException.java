package io.epochring.journal;

import io.epochring.EpochRingException;
import io.epochring.WriteCodec;

/**
 * A codec failed to decode a journal record's payload while {@link JournalInspector} read it with
 * that codec: the record is intact (its checksum held), so the codec is not the one that wrote it
 * or does not read what it wrote. Names the record and the codec; the cause is the codec's error.
 */
public final class PayloadDecodeException extends EpochRingException {

    private final transient JournalEntry entry;

    PayloadDecodeException(JournalEntry entry, WriteCodec<?> codec, RuntimeException cause) {
        super("codec '" + codec.name() + "' version " + codec.version() + " (" + codec.getClass().getName()
              + ") could not decode the " + entry.payloadLength() + "-byte payload of the write of epoch " + entry.epoch()
              + " in " + entry.file() + " (index 0x" + Long.toHexString(entry.index()) + "): " + cause
              + "; read the journal with the codec that wrote it", cause);
        this.entry = entry;
    }

    /** @return the record whose payload could not be decoded */
    public JournalEntry entry() {
        return entry;
    }
}
