package io.epochring.journal;

/**
 * Which codec encoded a journal's payloads: a {@code WriteCodec}'s {@code name()} and
 * {@code version()}, as the journal records them when its first record is written (see
 * {@link ChronicleJournal#bindCodec}), and as {@link JournalInspector#codec()} reads them back.
 *
 * @param name    the codec's stable name: not blank, no leading or trailing whitespace, no
 *                control characters, at most {@value #MAX_NAME_LENGTH} characters
 * @param version the encoding's version, at least 1
 */
public record CodecIdentity(String name, int version) {

    /** The longest name a journal records. */
    public static final int MAX_NAME_LENGTH = 200;

    /** @throws IllegalArgumentException naming what is wrong with the name or version */
    public CodecIdentity {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a codec name must not be blank, was " + (name == null ? "null" : "'" + name + "'")
                                               + ": give the WriteCodec a stable name()");
        }
        if (!name.strip().equals(name) || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("codec name '" + name + "' cannot be recorded in a journal: a name has no leading or"
                                               + " trailing whitespace, no control characters, and at most " + MAX_NAME_LENGTH
                                               + " characters; give the WriteCodec such a name()");
        }
        if (version < 1) {
            throw new IllegalArgumentException("codec '" + name + "' has version " + version + ": versions start at 1");
        }
    }

    /** @return {@code 'name' version n}, as errors and {@code epochring inspect} print it */
    @Override
    public String toString() {
        return "'" + name + "' version " + version;
    }
}
