package io.epochring.bench;

/**
 * JVM flags for the benchmark forks, as compile-time constants for {@code @Fork(jvmArgsAppend)}.
 * Passing {@code -jvmArgsAppend} on the JMH command line replaces these, so repeat them there.
 */
final class Jvm {

    /** Agrona's Unsafe wrapper needs it (BUILD-NOTES); harmless where unused. */
    static final String AGRONA = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** A fixed heap, so heap resizing is not part of any measurement. */
    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";
    /** For AWT-free forks even if a class touches java.awt by accident. */
    static final String HEADLESS = "-Djava.awt.headless=true";

    private Jvm() {
    }
}
