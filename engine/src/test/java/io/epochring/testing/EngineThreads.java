package io.epochring.testing;

import java.util.Set;
import java.util.stream.Collectors;

/** The coordinator threads alive now, by name: what a test checks was started or is gone. */
public final class EngineThreads {

    private EngineThreads() {
    }

    /** @return the names of live threads named {@code epochring-...} that contain {@code fragment} */
    public static Set<String> named(String fragment) {
        return Thread.getAllStackTraces().keySet().stream()
                     .filter(Thread::isAlive)
                     .map(Thread::getName)
                     .filter(n -> n.startsWith("epochring-") && n.contains(fragment))
                     .collect(Collectors.toSet());
    }
}
