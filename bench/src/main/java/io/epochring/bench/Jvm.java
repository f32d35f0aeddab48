package io.epochring.bench;

/**
 * JVM flags for the benchmark forks, as compile-time constants for {@code @Fork(jvmArgsAppend)}.
 * Passing {@code -jvmArgsAppend} on the JMH command line replaces these, so repeat them there.
 * One constant per flag: each array element of {@code jvmArgsAppend} is one command-line argument.
 */
final class Jvm {

    /** Agrona's Unsafe wrapper needs it (else IllegalAccessError); harmless where unused. */
    static final String AGRONA = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** A fixed heap, so heap resizing is not part of any measurement. */
    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";
    /**
     * The heap's pages are touched once at start-up instead of on first use. On the 2-vCPU VMs
     * measured, a first touch of a 4 KiB page costs 14-18 us; a handle write allocates 73 B, so
     * without this a ping-pong stalls on a fault every 56 writes until the whole heap was used once.
     */
    static final String PRETOUCH = "-XX:+AlwaysPreTouch";
    /**
     * No G1 concurrent refinement threads: a ping-pong stores a young handle into an old ring slot
     * per write, and on 2 vCPUs every wake of a refinement thread takes a core from the producer
     * or the ring thread for about 10 us. The dirty cards are then processed at the next pause.
     */
    static final String NO_G1_REFINEMENT_THREADS = "-XX:G1ConcRefinementThreads=0";
    /** The ping-pong's producer and applying thread on cores of their own: see {@link CorePinning}. */
    static final String PIN_CORES = "-D" + CorePinning.PROPERTY + "=true";
    /** For AWT-free forks even if a class touches java.awt by accident. */
    static final String HEADLESS = "-Djava.awt.headless=true";

    // ---- Chronicle Queue (the journal benchmarks) -----------------------------------------------
    // Without these Chronicle fails on JDK 17 and 25 (IllegalAccessException mapping its files), or
    // quietly opens its queue read-only. The list is the --add-exports/--add-opens lines of the
    // repository's jvm.options, plus --add-opens=java.base/java.nio.
    // The JDK 24+ flags (--enable-native-access, --sun-misc-unsafe-memory-access) cannot go here
    // because JDK 17 refuses to start with the second: run-benchmarks.sh passes them through
    // JDK_JAVA_OPTIONS.

    static final String CHRONICLE_EXPORTS_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    static final String CHRONICLE_EXPORTS_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    static final String CHRONICLE_EXPORTS_SUN_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    static final String CHRONICLE_EXPORTS_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    static final String CHRONICLE_OPENS_JAVAC = "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    static final String CHRONICLE_OPENS_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    static final String CHRONICLE_OPENS_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    static final String CHRONICLE_OPENS_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    static final String CHRONICLE_OPENS_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    static final String CHRONICLE_OPENS_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** Optional in jvm.options: replay checks each record's CRC32C in the mapped file (Agrona's Crc32c) instead of copying it. */
    static final String AGRONA_OPENS_ZIP = "--add-opens=java.base/java.util.zip=ALL-UNNAMED";
    /** No usage analytics sent home, no start-up banner. */
    static final String CHRONICLE_NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    static final String CHRONICLE_NO_BANNER = "-Dchronicle.announcer.disable=true";
    /**
     * Queues, and the files Chronicle writes under {@code ${java.io.tmpdir}}, go to {@code target/}
     * of the directory JMH was started from (run-benchmarks.sh starts it in the repository root),
     * not to {@code /tmp}. See {@link QueueDirectories}.
     */
    static final String TMPDIR_TARGET = "-Djava.io.tmpdir=target";

    private Jvm() {
    }
}
