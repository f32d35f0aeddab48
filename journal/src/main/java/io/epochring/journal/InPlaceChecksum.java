package io.epochring.journal;

import org.agrona.checksum.Crc32c;

import java.util.zip.CRC32C;

/**
 * The CRC32C of native memory, computed where it lies: Agrona's {@link Crc32c} calls the JDK's
 * intrinsic behind {@link CRC32C} on an address, so a record in a mapped journal file is checked
 * without being copied to the heap. The value is exactly {@link CRC32C}'s over the same bytes.
 *
 * <p>Design note: Agrona reaches the JDK's private {@code updateDirectByteBuffer} reflectively,
 * which needs {@code --add-opens=java.base/java.util.zip=ALL-UNNAMED}. That flag is optional
 * (jvm.options carries it, but a JVM started with an older set must still read its journal), so
 * {@link #AVAILABLE} asks the module system first, and without it readers copy the record and use
 * {@link CRC32C} on the copy, as before.
 */
final class InPlaceChecksum {

    /** Whether {@link #compute} can be used in this JVM. */
    static final boolean AVAILABLE = available();

    private InPlaceChecksum() {
    }

    /**
     * @return the CRC32C of the {@code length} bytes at {@code address}, as {@link CRC32C#getValue()} cast to int
     * @throws IllegalStateException when not {@link #AVAILABLE}
     */
    static int compute(long address, int length) {
        if (!AVAILABLE) {
            throw new IllegalStateException("in-place CRC32C needs --add-opens=java.base/java.util.zip=ALL-UNNAMED");
        }
        return Crc32c.INSTANCE.compute(address, 0, length);
    }

    private static boolean available() {
        // Class literals do not initialise: nothing of Agrona's runs unless the package is open to it.
        if (!CRC32C.class.getModule().isOpen(CRC32C.class.getPackageName(), Crc32c.class.getModule())) {
            return false;
        }
        try {
            return Crc32c.INSTANCE != null;
        } catch (LinkageError e) {
            // A JDK without the private method Agrona looks for: the copying path still works.
            return false;
        }
    }
}
