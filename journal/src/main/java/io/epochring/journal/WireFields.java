package io.epochring.journal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the fields of one Chronicle Queue metadata document, as Chronicle Wire's binary format
 * writes them: a cycle file's header ({@code header: !SCQStore {...}}), its index arrays
 * ({@code index2index: [...]}, {@code index: [...]}) and the entries of {@code metadata.cq4t}.
 * Only the value kinds those documents use are understood; anything else is reported as
 * malformed, which for these documents means damaged.
 *
 * <p>Values come back as {@link Long}, {@link String}, {@link Boolean}, {@link Double},
 * {@link LongArray}, {@link Typed} (a value with a {@code !Type} prefix) or a {@link Map} of the
 * fields of a nested object.
 */
final class WireFields {

    // Chronicle Wire's binary codes (net.openhft.chronicle.wire.BinaryWireCode).
    private static final int BYTES_LENGTH8 = 0x80;
    private static final int BYTES_LENGTH16 = 0x81;
    private static final int BYTES_LENGTH32 = 0x82;
    private static final int I64_ARRAY = 0x8D;
    private static final int PADDING32 = 0x8E;
    private static final int PADDING = 0x8F;
    private static final int FLOAT32 = 0x90;
    private static final int FLOAT64 = 0x91;
    private static final int UINT8 = 0xA1;
    private static final int UINT16 = 0xA2;
    private static final int UINT32 = 0xA3;
    private static final int INT8 = 0xA4;
    private static final int INT16 = 0xA5;
    private static final int INT32 = 0xA6;
    private static final int INT64 = 0xA7;
    private static final int INT64_0X = 0xAF;
    private static final int FALSE = 0xB0;
    private static final int TRUE = 0xB1;
    private static final int TYPE_PREFIX = 0xB6;
    private static final int FIELD_NAME_ANY = 0xB7;
    private static final int STRING_ANY = 0xB8;
    private static final int EVENT_NAME = 0xB9;
    private static final int NULL = 0xBB;
    private static final int FIELD_NAME0 = 0xC0;
    private static final int FIELD_NAME31 = 0xDF;
    private static final int STRING_0 = 0xE0;

    /** Nested objects deeper than this are not in these documents: the bytes are garbage. */
    private static final int MAX_DEPTH = 8;

    /** A value written with a type prefix, e.g. {@code !SCQStore {...}}. */
    record Typed(String type, Object value) {
    }

    /** Chronicle's {@code int64array}: {@code capacity} slots, of which the first {@code used} are in use. */
    record LongArray(long capacity, long used, long[] values) {
    }

    /** The document's bytes do not read as Chronicle Wire's binary format. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private final ByteBuffer bytes;

    private WireFields(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /**
     * @param document a document's content (after its 4-byte header), little-endian, from position to limit
     * @return its fields in order
     * @throws MalformedException naming the offset within the content where reading failed
     */
    static Map<String, Object> parse(ByteBuffer document) throws MalformedException {
        WireFields reader = new WireFields(document);
        try {
            return reader.fields(document.limit(), 0);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedException("a value runs past the end of the document (at content byte " + document.position() + ")");
        }
    }

    private Map<String, Object> fields(int end, int depth) throws MalformedException {
        if (depth > MAX_DEPTH) {
            throw malformed("objects nested deeper than " + MAX_DEPTH);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        while (skipPadding(end)) {
            String name = name();
            fields.put(name, value(end, depth));
        }
        if (bytes.position() != end) {
            throw malformed("a field runs past the end of its object");
        }
        return fields;
    }

    /** @return false at {@code end} */
    private boolean skipPadding(int end) throws MalformedException {
        while (bytes.position() < end) {
            int code = peek();
            if (code == PADDING) {
                bytes.get();
            } else if (code == PADDING32) {
                bytes.get();
                int skip = bytes.getInt();
                if (skip < 0 || skip > bytes.remaining()) {
                    throw malformed("padding of " + skip + " bytes");
                }
                bytes.position(bytes.position() + skip);
            } else {
                return true;
            }
        }
        return false;
    }

    private String name() throws MalformedException {
        int at = bytes.position();
        int code = next();
        if (code >= FIELD_NAME0 && code <= FIELD_NAME31) {
            return text(code - FIELD_NAME0);
        }
        if (code == FIELD_NAME_ANY || code == EVENT_NAME) {
            return text(stopBit());
        }
        throw malformedAt(at, "expected a field name, found code 0x" + Integer.toHexString(code));
    }

    private Object value(int end, int depth) throws MalformedException {
        if (!skipPadding(end)) {
            throw malformed("a field has no value");
        }
        int at = bytes.position();
        int code = next();
        if (code < 0x80) {
            return (long) code;
        }
        if (code >= STRING_0) {
            return text(code - STRING_0);
        }
        switch (code) {
            case UINT8: return (long) (bytes.get() & 0xFF);
            case UINT16: return (long) (bytes.getShort() & 0xFFFF);
            case UINT32: return bytes.getInt() & 0xFFFF_FFFFL;
            case INT8: return (long) bytes.get();
            case INT16: return (long) bytes.getShort();
            case INT32: return (long) bytes.getInt();
            case INT64:
            case INT64_0X: return bytes.getLong();
            case FLOAT32: return (double) bytes.getFloat();
            case FLOAT64: return bytes.getDouble();
            case FALSE: return Boolean.FALSE;
            case TRUE: return Boolean.TRUE;
            case NULL: return null;
            case STRING_ANY: return text(stopBit());
            case TYPE_PREFIX: return new Typed(text(stopBit()), value(end, depth));
            case BYTES_LENGTH8: return nested(bytes.get() & 0xFF, end, depth);
            case BYTES_LENGTH16: return nested(bytes.getShort() & 0xFFFF, end, depth);
            case BYTES_LENGTH32: return nested(bytes.getInt(), end, depth);
            case I64_ARRAY: return longArray(end);
            default: throw malformedAt(at, "unknown value code 0x" + Integer.toHexString(code));
        }
    }

    private Map<String, Object> nested(int length, int end, int depth) throws MalformedException {
        if (length < 0 || length > end - bytes.position()) {
            throw malformed("an object of " + length + " bytes runs past the end of the document");
        }
        return fields(bytes.position() + length, depth + 1);
    }

    private LongArray longArray(int end) throws MalformedException {
        long capacity = bytes.getLong();
        long used = bytes.getLong();
        if (capacity < 0 || capacity > (end - bytes.position()) / 8 || used < 0 || used > capacity) {
            throw malformed("an array of capacity " + capacity + " with " + used + " used does not fit the document");
        }
        long[] values = new long[(int) capacity];
        for (int i = 0; i < values.length; i++) {
            values[i] = bytes.getLong();
        }
        return new LongArray(capacity, used, values);
    }

    private String text(long length) throws MalformedException {
        if (length < 0 || length > bytes.remaining()) {
            throw malformed("a text of " + length + " bytes runs past the end of the document");
        }
        byte[] chars = new byte[(int) length];
        bytes.get(chars);
        return new String(chars, StandardCharsets.UTF_8);
    }

    /** Chronicle's stop-bit encoding: 7 bits a byte, low bits first, high bit set on all but the last byte. */
    private long stopBit() throws MalformedException {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            int b = bytes.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("a length longer than 9 bytes");
    }

    private int peek() {
        return bytes.get(bytes.position()) & 0xFF;
    }

    private int next() {
        return bytes.get() & 0xFF;
    }

    private MalformedException malformed(String problem) {
        return malformedAt(bytes.position(), problem);
    }

    private static MalformedException malformedAt(int at, String problem) {
        return new MalformedException(problem + " (at content byte " + at + ")");
    }
}
