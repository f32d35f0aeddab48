package io.epochring.kv.cli;

/**
 * One side of {@code demo --peer}: how long a system took until every put had the durability both
 * were given, and what that durability was.
 *
 * @param system     the system's name as printed
 * @param puts       the puts made, across producers
 * @param nanos      from the producers' start until every put had the compared durability
 * @param syncs      the syncs the system made of its log for those puts (journal msyncs, WAL
 *                   syncs), 0 when it made none
 * @param durability what a put had when it counted as done, in a few words
 */
record ComparedRun(String system, long puts, long nanos, long syncs, String durability) {

    /** @return puts per second, 0 when nothing was timed */
    double putsPerSecond() {
        return nanos <= 0 ? 0 : puts * 1e9 / nanos;
    }
}
