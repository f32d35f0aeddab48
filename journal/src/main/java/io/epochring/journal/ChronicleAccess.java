package io.epochring.journal;

import io.epochring.EpochRingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks, before the journal touches Chronicle Queue or Agrona's {@code UnsafeBuffer}, that the
 * JVM was started with the {@code --add-exports}/{@code --add-opens} flags they need, and fails
 * with one message naming the missing flags when it was not.
 *
 * <p>Design note: without the flags Chronicle fails deep inside, as an {@link AssertionError}
 * from {@code FileChannelImpl.map0} (JDK 17) or {@code UnixFileDispatcherImpl.map0} (JDK 25),
 * an {@code Error} that callers do not catch, so a half-opened journal is never cleaned up; with
 * some flags it opens a queue read-only; and Agrona fails with {@code IllegalAccessError}, then
 * {@code NoClassDefFoundError: Could not initialize class org.agrona.UnsafeApi}. Asking the module
 * system first ({@link Module#isExported(String, Module)}, {@link Module#isOpen(String, Module)})
 * touches no Chronicle class and leaves nothing behind.
 *
 * <p>The flags are the {@code --add-exports}/{@code --add-opens} lines of {@code jvm.options}
 * ({@value #OPTIONS_RESOURCE} in this module's jar, and {@code jvm.options} in the root of the
 * source repository), which a test keeps equal to {@link #FLAGS}.
 */
final class ChronicleAccess {

    /** Where the journal's jar carries the JVM argument file with every flag. */
    static final String OPTIONS_RESOURCE = "META-INF/epochring/jvm.options";

    /** Which library needs a flag: the flag must name that library's module (ALL-UNNAMED on the class path). */
    private enum Needer { AGRONA, CHRONICLE }

    /**
     * One {@code --add-exports} or {@code --add-opens} flag; an optional one is not checked for
     * (without it the journal works, only slower), but jvm.options carries it too.
     */
    private record Flag(boolean open, String module, String pkg, Needer neededBy, boolean required) {

        Flag(boolean open, String module, String pkg, Needer neededBy) {
            this(open, module, pkg, neededBy, true);
        }

        /** @param target the module that gets access: a module name, or ALL-UNNAMED for the class path */
        String render(String target) {
            return (open ? "--add-opens=" : "--add-exports=") + module + "/" + pkg + "=" + target;
        }
    }

    private static final List<Flag> FLAGS = List.of(
        new Flag(false, "java.base", "jdk.internal.misc", Needer.AGRONA),
        new Flag(false, "java.base", "jdk.internal.ref", Needer.CHRONICLE),
        new Flag(false, "java.base", "sun.nio.ch", Needer.CHRONICLE),
        new Flag(false, "jdk.unsupported", "sun.misc", Needer.CHRONICLE),
        new Flag(false, "jdk.compiler", "com.sun.tools.javac.file", Needer.CHRONICLE),
        new Flag(true, "jdk.compiler", "com.sun.tools.javac", Needer.CHRONICLE),
        new Flag(true, "java.base", "java.lang", Needer.CHRONICLE),
        new Flag(true, "java.base", "java.lang.reflect", Needer.CHRONICLE),
        new Flag(true, "java.base", "java.io", Needer.CHRONICLE),
        new Flag(true, "java.base", "java.util", Needer.CHRONICLE),
        // Optional: Agrona's Crc32c, so replay checks records in the mapped file (see InPlaceChecksum).
        new Flag(true, "java.base", "java.util.zip", Needer.AGRONA, false));

    private ChronicleAccess() {
    }

    /**
     * @throws EpochRingException naming every missing flag and where to find the whole set
     */
    static void check() {
        List<String> missing = missingFlags();
        if (!missing.isEmpty()) {
            throw new EpochRingException(
                "the journal needs JVM flags this JVM was started without: " + String.join(" ", missing)
                + ". Without them Chronicle Queue cannot map its files. Start java with every flag of jvm.options:"
                + " java @jvm.options ... (the file is " + OPTIONS_RESOURCE + " in the epochring-journal jar, and"
                + " jvm.options in the root of EpochRing's sources); for java -jar, the manifest's Add-Exports and"
                + " Add-Opens can carry them instead");
        }
    }

    /** @return the flags this JVM lacks, as they are written on the command line; empty when it has them all */
    static List<String> missingFlags() {
        // Class literals load but do not initialise: no Chronicle or Agrona code runs here.
        Module agrona = org.agrona.concurrent.UnsafeBuffer.class.getModule();
        Module chronicle = net.openhft.chronicle.core.Jvm.class.getModule();
        List<String> missing = new ArrayList<>();
        for (Flag flag : FLAGS) {
            if (!flag.required()) {
                continue;
            }
            Module target = flag.neededBy() == Needer.AGRONA ? agrona : chronicle;
            Optional<Module> source = ModuleLayer.boot().findModule(flag.module());
            // A runtime image without the module (jdk.compiler is often left out) has nothing to open.
            if (source.isPresent() && !(flag.open() ? source.get().isOpen(flag.pkg(), target)
                                                     : source.get().isExported(flag.pkg(), target))) {
                missing.add(flag.render(target.isNamed() ? target.getName() : "ALL-UNNAMED"));
            }
        }
        return missing;
    }

    /** @return every flag, optional ones included, as {@code jvm.options} writes it for the class path */
    static List<String> classPathFlags() {
        return FLAGS.stream().map(flag -> flag.render("ALL-UNNAMED")).toList();
    }

    /** @return the flags without which the journal refuses to open, as {@code jvm.options} writes them for the class path */
    static List<String> requiredClassPathFlags() {
        return FLAGS.stream().filter(Flag::required).map(flag -> flag.render("ALL-UNNAMED")).toList();
    }
}
