package io.epochring.kv.cli;

import io.epochring.CodecMismatchException;
import io.epochring.JournalCorruptedException;
import io.epochring.WriteCodec;
import io.epochring.journal.CodecIdentity;
import io.epochring.journal.JournalEntry;
import io.epochring.journal.JournalInspector;
import io.epochring.journal.RecordType;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvWrite;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How {@code epochring inspect} shows write payloads: decoded by the codec given with
 * {@code --codec}; else decoded as key-value writes when the journal names the store's codec (or
 * none); else as bytes (hex in text, base64 in JSON), since another codec's bytes could decode
 * into key-value writes that never were.
 */
final class PayloadDecoder {

    /** Text shows this many payload bytes in hex; JSON shows them all. */
    private static final int HEX_PREVIEW_BYTES = 32;
    private static final String NONE_RECORDED = "none recorded (the journal has no record yet, was written before journals"
                                                + " recorded their codec, or its epochring-codec.id was deleted)";

    /** The codec the journal recorded; null when none (or its identity file is damaged: see {@link #problem}). */
    private final CodecIdentity recorded;
    private final String problem;
    /** The codec given with --codec; null for none. */
    private final WriteCodec<?> userCodec;
    private final boolean forced;

    private PayloadDecoder(CodecIdentity recorded, String problem, WriteCodec<?> userCodec, boolean forced) {
        this.recorded = recorded;
        this.problem = problem;
        this.userCodec = userCodec;
        this.forced = forced;
    }

    /**
     * @param userCodec the codec given with {@code --codec}, or null
     * @param force     decode with {@code userCodec} even when the journal recorded another codec
     * @throws UsageException when {@code userCodec} is not the codec the journal recorded, and not forced
     */
    static PayloadDecoder of(JournalInspector inspector, WriteCodec<?> userCodec, boolean force) {
        CodecIdentity recorded;
        String problem = null;
        try {
            recorded = inspector.codec().orElse(null);
            if (recorded == null) {
                problem = NONE_RECORDED;
            }
        } catch (JournalCorruptedException e) {
            recorded = null;
            problem = "unknown: " + e.getMessage();
        }
        if (userCodec != null && !force) {
            try {
                inspector.requireCodec(userCodec);
            } catch (CodecMismatchException e) {
                throw new UsageException("--codec " + userCodec.getClass().getName() + " is codec " + e.requested()
                                         + ", but journal " + inspector.directory() + " was written with codec " + e.recorded()
                                         + ": decoding one codec's bytes with another gives wrong writes; pass the codec that wrote"
                                         + " the journal, or add --force-codec to decode with this one anyway");
            }
        }
        return new PayloadDecoder(recorded, problem, userCodec, force);
    }

    /** @return the codec the journal recorded, or null */
    CodecIdentity recorded() {
        return recorded;
    }

    /** @return the summary's codec line */
    String describe() {
        String journal = recorded == null ? problem : recorded.toString();
        if (userCodec != null) {
            String given = identityOf(userCodec) + " (" + userCodec.getClass().getName() + ")";
            if (recorded != null && !recorded.equals(identityOf(userCodec))) {
                return journal + "; decoding with --codec " + given + " anyway, as --force-codec says";
            }
            return journal + "; decoding with --codec " + given;
        }
        if (recorded == null) {
            return journal;
        }
        return journal + (decodesKv() ? " (the key-value store's)" : " (not the key-value store's " + KvCodec.NAME + " version "
                                                                      + KvCodec.VERSION + ": payloads are not decoded; pass --codec to decode them)");
    }

    /** @return a write's payload for text output: decoded, or why not and its bytes */
    String text(JournalEntry entry) {
        if (entry.rejected() && entry.payloadLength() == 0) {
            return "no payload (the write was too large for the journal, or its codec could not encode it)";
        }
        if (userCodec != null) {
            try {
                return String.valueOf(decodeWithUserCodec(entry));
            } catch (RuntimeException e) {
                return entry.payloadLength() + "-byte payload (--codec could not decode it: " + EpochRingCli.oneLine(e) + ") " + hex(entry);
            }
        }
        if (!decodesKv()) {
            return entry.payloadLength() + "-byte payload (codec " + recorded + ", not decoded) " + hex(entry);
        }
        KvWrite write = decodeKvOrNull(entry);
        if (write == null) {
            return entry.payloadLength() + "-byte payload (not a key-value write) " + hex(entry);
        }
        return write.toString();
    }

    /** Adds a write's decoded fields, or its bytes, to the record's JSON object. */
    void json(Json j, JournalEntry entry) {
        if (userCodec != null) {
            try {
                j.field("decoded", String.valueOf(decodeWithUserCodec(entry)));
            } catch (RuntimeException e) {
                j.field("decodeError", EpochRingCli.oneLine(e)).field("payloadBase64", base64(entry));
            }
            return;
        }
        KvWrite write = decodesKv() ? decodeKvOrNull(entry) : null;
        if (write == null) {
            j.field("payloadBase64", base64(entry));
            return;
        }
        j.field("op", write.isDelete() ? "delete" : write.isAdd() ? "add" : "put");
        String key = new String(write.key(), StandardCharsets.UTF_8);
        if (Arrays.equals(key.getBytes(StandardCharsets.UTF_8), write.key())) {
            j.field("key", key);
        } else {
            j.field("keyBase64", Base64.getEncoder().encodeToString(write.key()));
        }
        if (write.isAdd()) {
            j.field("amount", write.amount());
        } else if (!write.isDelete()) {
            j.field("valueLength", write.value().length);
        }
    }

    /** Key-value decoding, unless the journal names a codec other than the store's. */
    private boolean decodesKv() {
        return recorded == null || (recorded.name().equals(KvCodec.NAME) && recorded.version() == KvCodec.VERSION);
    }

    private Object decodeWithUserCodec(JournalEntry entry) {
        byte[] payload = entry.payload();
        return userCodec.decode(new UnsafeBuffer(payload), 0, payload.length);
    }

    private static KvWrite decodeKvOrNull(JournalEntry entry) {
        if (entry.type() == RecordType.REJECTED_WRITE && entry.payloadLength() == 0) {
            return null;
        }
        byte[] payload = entry.payload();
        try {
            return KvCodec.INSTANCE.decode(new UnsafeBuffer(payload), 0, payload.length);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static CodecIdentity identityOf(WriteCodec<?> codec) {
        return new CodecIdentity(codec.name(), codec.version());
    }

    private static String hex(JournalEntry entry) {
        byte[] payload = entry.payload();
        String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, HEX_PREVIEW_BYTES));
        return payload.length > HEX_PREVIEW_BYTES ? hex + "..." : hex;
    }

    private static String base64(JournalEntry entry) {
        return Base64.getEncoder().encodeToString(entry.payload());
    }
}
