package io.epochring.kv.cli;

/** The journal sync policy as the tool names it. */
enum SyncMode {
    /** Leave journal pages to the OS: survives a process crash, not a power loss. */
    NONE,
    /** msync at the end of every ring batch. */
    BATCH,
    /** msync on a timer. */
    INTERVAL
}
