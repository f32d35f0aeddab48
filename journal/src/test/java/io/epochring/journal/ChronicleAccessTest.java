package io.epochring.journal;

import io.epochring.journal.support.ChildJvm;
import io.epochring.journal.support.JvmFlagsMain;
import io.epochring.journal.support.TestDirs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal refuses a JVM started without the flags Chronicle Queue and Agrona need, naming them. */
class ChronicleAccessTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldFindEveryFlagInAJvmStartedWithJvmOptions() {
        // given this JVM, which surefire starts with @jvm.options
        // when / then
        assertThat(ChronicleAccess.missingFlags()).isEmpty();
    }

    @Test
    void shouldCheckExactlyTheModuleFlagsTheJarsJvmOptionsFileCarries() throws IOException {
        // given the file the journal's jar ships
        List<String> moduleFlags;
        try (InputStream in = ChronicleAccess.class.getClassLoader().getResourceAsStream(ChronicleAccess.OPTIONS_RESOURCE)) {
            assertThat(in).as(ChronicleAccess.OPTIONS_RESOURCE + " on the class path").isNotNull();
            moduleFlags = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(String::strip)
                .filter(line -> line.startsWith("--add-exports=") || line.startsWith("--add-opens="))
                .toList();
        }
        // then
        assertThat(ChronicleAccess.classPathFlags()).containsExactlyInAnyOrderElementsOf(moduleFlags);
    }

    @Test
    void shouldRefuseToOpenAJournalInAJvmWithoutTheFlagsNamingThemAndTheFile() throws Exception {
        // given a child JVM with this one's system properties but none of its module flags
        Path dir = TestDirs.fresh("no-flags");
        Path journalDir = dir.resolve("journal");
        List<String> options = systemPropertiesOnly();

        // when
        List<String> lines = runToEnd(options, journalDir, dir.resolve("child.log"));

        // then
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
            .startsWith("REFUSED the journal needs JVM flags this JVM was started without: ")
            .contains(everyFlagButSunMisc())
            .contains("java @jvm.options")
            .contains(ChronicleAccess.OPTIONS_RESOURCE);
        assertThat(journalDir).as("nothing created before the refusal").doesNotExist();
    }

    @Test
    void shouldOpenAJournalInAJvmStartedWithTheJarsJvmOptionsFile() throws Exception {
        // given a child JVM with only this one's system properties and @jvm.options, as a user would start it
        Path dir = TestDirs.fresh("jvm-options");
        List<String> options = new ArrayList<>(systemPropertiesOnly());
        options.add(0, "@" + shippedJvmOptions());

        // when
        List<String> lines = runToEnd(options, dir.resolve("journal"), dir.resolve("child.log"));

        // then
        assertThat(lines).containsExactly("OPENED 1");
    }

    @Test
    void shouldOpenAndReplayAJournalInAJvmWithoutTheOptionalFlag() throws Exception {
        // given a child JVM with every required flag but not the optional one for in-place checksums
        Path dir = TestDirs.fresh("required-flags-only");
        List<String> options = new ArrayList<>(ChronicleAccess.requiredClassPathFlags());
        options.addAll(systemPropertiesOnly());
        assertThat(options).doesNotContain("--add-opens=java.base/java.util.zip=ALL-UNNAMED");

        // when
        List<String> lines = runToEnd(options, dir.resolve("journal"), dir.resolve("child.log"));

        // then replay copies each record instead, and reads the same
        assertThat(lines).containsExactly("OPENED 1");
    }

    private static List<String> runToEnd(List<String> options, Path journalDir, Path log) throws Exception {
        try (ChildJvm child = ChildJvm.start(options, JvmFlagsMain.class, log, journalDir.toString())) {
            assertThat(child.awaitExit(WAIT)).as("exit code; see " + log).isZero();
            return child.remainingLines();
        }
    }

    /** jdk.unsupported exports sun.misc to every module anyway: it is never missing; optional flags are never named. */
    private static List<String> everyFlagButSunMisc() {
        return ChronicleAccess.requiredClassPathFlags().stream()
            .filter(flag -> !flag.equals("--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED"))
            .toList();
    }

    /** This JVM's -D options (temp dir under target/, Chronicle kept quiet); no module or native-access flag. */
    private static List<String> systemPropertiesOnly() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("-D") && !arg.startsWith("-Dsun.misc.unsafe.memory.access"))
            .toList();
    }

    /** The copy of jvm.options the build puts into the journal's jar. */
    private static Path shippedJvmOptions() throws URISyntaxException {
        URL url = ChronicleAccess.class.getClassLoader().getResource(ChronicleAccess.OPTIONS_RESOURCE);
        assertThat(url).isNotNull();
        Path file = Path.of(url.toURI());
        assertThat(Files.isRegularFile(file)).isTrue();
        return file;
    }
}
