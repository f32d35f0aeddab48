package io.epochring.journal;

import io.epochring.CodecMismatchException;
import io.epochring.JournalCorruptedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The codec a journal directory was written with, kept in {@value #FILE_NAME}: a few lines of
 * UTF-8 text, {@code name=} and {@code version=} (lines starting with {@code #} are comments).
 *
 * <p>{@link #bind} checks the codec a coordinator brings against the file and changes nothing on
 * disk: a new journal's identity is only noted, and {@link #recordIfPending()} writes it just before
 * the journal's first record. So a refused or failed recovery leaves the directory as it was, and
 * a journal holding records always names their codec, unless the file was deleted, or the journal
 * was written before journals recorded their codec, or without a codec bound; such a journal is
 * refused, except with {@link ChronicleJournalBuilder#adoptCodec()}.
 *
 * <p>Design note (a file of its own): the identity could be a first record in the queue, but
 * retention deletes old roll-cycle files, and an inspector or a fresh opener would need to read the
 * queue (which may be damaged) to learn which codec decodes it. A separate file is read before the
 * queue is touched. It is written whole or not at all: a temporary file, forced, renamed over the
 * name, then the directory forced so the rename itself survives a power loss.
 */
final class CodecBinding {

    static final String FILE_NAME = "epochring-codec.id";
    private static final String TEMP_NAME = FILE_NAME + ".tmp";
    private static final int MAX_FILE_BYTES = 4096;

    private final Path directory;
    private final boolean adopt;
    /** The codec bound to this journal object; only the starting thread binds. */
    private CodecIdentity bound;
    /** The codec to record before the first record; null when recorded already, or nothing is bound. */
    private volatile CodecIdentity pending;

    /**
     * @param adopt record the bound codec for a journal that holds records but names no codec,
     *              instead of refusing it
     */
    CodecBinding(Path directory, boolean adopt) {
        this.directory = directory;
        this.adopt = adopt;
    }

    /**
     * Checks {@code codec} against the recorded one; writes nothing.
     *
     * @param lastEpoch the journal's newest epoch (0 when it has no records), read only when no codec is recorded
     * @throws CodecMismatchException     when the journal recorded another codec, or holds records and names none
     * @throws JournalCorruptedException  when the identity file is damaged
     * @throws IllegalStateException      when another codec was bound before
     */
    void bind(CodecIdentity codec, LongSupplier lastEpoch) {
        if (bound != null) {
            if (bound.equals(codec)) {
                return;
            }
            throw new IllegalStateException("journal " + directory + " is bound to codec " + bound + " already, not " + codec
                                            + ": one journal object serves one codec; open a new one");
        }
        Optional<CodecIdentity> recorded = read(directory);
        if (recorded.isPresent()) {
            if (!recorded.get().equals(codec)) {
                throw new CodecMismatchException(
                    "journal " + directory + " was written with codec " + recorded.get() + " but is being opened with codec " + codec
                    + ": its payloads would be decoded by a codec that did not encode them. Nothing was replayed. Open it with the"
                    + " codec that wrote it (a codec's version changes when its encoding does: use the build that wrote this journal)",
                    recorded.get().toString(), codec.toString());
            }
        } else {
            long last = lastEpoch.getAsLong();
            if (last > 0 && !adopt) {
                throw new CodecMismatchException(
                    "journal " + directory + " holds records (up to epoch " + last + ") but no " + FILE_NAME + " naming the codec that"
                    + " wrote them: the file was deleted, or the journal was written before journals recorded their codec, or"
                    + " without one. Nothing was replayed. Restore the file from a backup; or, if you know that codec " + codec
                    + " wrote this journal, open it once with ChronicleJournalBuilder.adoptCodec(), which records it",
                    null, codec.toString());
            }
            pending = codec;
            if (last > 0) {
                JournalLog.LOGGER.log(Level.WARNING, "journal " + directory + " holds records up to epoch " + last + " but named no codec;"
                                                     + " adopting " + codec + " as asked: it is recorded before the next record");
            }
        }
        bound = codec;
    }

    /**
     * Writes the bound codec's identity if the journal has none yet; call before appending any
     * record. Cheap once done.
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    void recordIfPending() {
        if (pending == null) {
            return;
        }
        synchronized (this) {
            CodecIdentity codec = pending;
            if (codec != null) {
                write(directory, codec);
                pending = null;
            }
        }
    }

    /**
     * @return the codec recorded in {@code directory}, empty when it has no identity file
     * @throws JournalCorruptedException when the file is damaged
     * @throws UncheckedIOException      when it cannot be read
     */
    static Optional<CodecIdentity> read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw damaged(file, "it is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the codec identity " + file + " (" + e + "): check its permissions", e);
        }
        String name = null;
        String version = null;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw damaged(file, "line '" + line + "' is not key=value");
            }
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1);
            if (key.equals("name")) {
                name = value;
            } else if (key.equals("version")) {
                version = value;
            }
        }
        if (name == null || version == null) {
            throw damaged(file, "it has no " + (name == null ? "name" : "version") + " line");
        }
        try {
            return Optional.of(new CodecIdentity(name, Integer.parseInt(version)));
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage());
        }
    }

    private static JournalCorruptedException damaged(Path file, String why) {
        return new JournalCorruptedException("the codec identity " + file + " is damaged (" + why + "): restore it from a backup; or,"
                                             + " if you know the codec that wrote this journal, delete the file and open the journal"
                                             + " once with ChronicleJournalBuilder.adoptCodec(), which records that codec");
    }

    /** Replaces the identity file whole: temporary file, force, rename, force the directory. */
    static void write(Path directory, CodecIdentity codec) {
        Path temp = directory.resolve(TEMP_NAME);
        Path file = directory.resolve(FILE_NAME);
        String text = "# The WriteCodec that encoded this journal's payloads. A coordinator whose codec has\n"
                      + "# another name or version is refused this journal.\n"
                      + "name=" + codec.name() + "\n"
                      + "version=" + codec.version() + "\n";
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                                        StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record codec " + codec + " in " + file + " (" + e
                                           + "): check that the journal directory is writable and not full", e);
        }
    }

    private static void forceDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException e) {
            // Some platforms cannot open a directory; there a rename is as durable as they make it.
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }
}
