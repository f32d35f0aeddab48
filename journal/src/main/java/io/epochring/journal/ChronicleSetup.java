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

    /**
     * How long a reader's queue waits for a cycle file's header to appear (Chronicle's default is
     * 10 s, per attempt). The structure check lets only one header-less file through: a newest file
     * of nothing but zeros, left by a writer killed while creating it, whose header never comes.
     * Alongside a live writer a new file lacks its header for microseconds.
     */
    static final long READER_HEADER_WAIT_MS = 100;

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
