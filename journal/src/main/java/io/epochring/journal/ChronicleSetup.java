package io.epochring.journal;

/**
 * Chronicle's process-wide settings that EpochRing chooses for its users: no usage analytics sent
 * home and no start-up banner. They are system properties read when Chronicle's classes
 * initialise, so the public entry points call {@link #apply()} from their static initialisers,
 * before any Chronicle class is touched. A value the user set on the command line wins.
 */
final class ChronicleSetup {

    static {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
    }

    private ChronicleSetup() {
    }

    /** Runs the static initialiser (once). */
    static void apply() {
        // Loading this class did the work.
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
