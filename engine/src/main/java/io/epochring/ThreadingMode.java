package io.epochring;

/**
 * How the ring's stages are laid onto consumer threads.
 */
public enum ThreadingMode {
    /**
     * The whole chain (sequence, journal, apply, publish) runs on one consumer thread. Best on
     * small machines: no hand-off between stages, one thread to wake. The default (see README).
     */
    SINGLE_THREAD("single"),
    /**
     * One consumer thread per stage, chained on the ring LMAX style; stages overlap on different
     * slots. Pays off only with a core per stage.
     */
    THREAD_PER_STAGE("per-stage");

    private final String configName;

    ThreadingMode(String configName) {
        this.configName = configName;
    }

    /** @return the name configuration uses for this mode ({@code single}, {@code per-stage}), as the CLI and properties spell it */
    public String configName() {
        return configName;
    }

    /** @return every mode by its {@link #configName()}, in declaration order */
    public static java.util.Map<String, ThreadingMode> byConfigName() {
        java.util.Map<String, ThreadingMode> names = new java.util.LinkedHashMap<>();
        for (ThreadingMode mode : values()) {
            names.put(mode.configName, mode);
        }
        return java.util.Collections.unmodifiableMap(names);
    }
}
