package io.epochring.kv.cli;

import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A system {@code demo --peer} runs the same workload on, to compare EpochRing with. */
enum Peer {
    /** RocksDB alone: producer threads calling {@code db.put} on a database of their own. */
    ROCKSDB("rocksdb");

    private final String optionName;

    Peer(String optionName) {
        this.optionName = optionName;
    }

    /** @return the name {@code --peer} takes */
    String optionName() {
        return optionName;
    }

    /** @return the peers' names as {@code --peer} takes them, comma-separated */
    static String names() {
        return Stream.of(values()).map(Peer::optionName).collect(Collectors.joining(", "));
    }

    /** @return the peer named {@code name} (any case), or null when there is none */
    static Peer named(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return Stream.of(values()).filter(p -> p.optionName.equals(lower)).findFirst().orElse(null);
    }
}
