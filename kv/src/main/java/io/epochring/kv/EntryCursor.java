package io.epochring.kv;

import java.util.Iterator;

/** An iterator over entries that may hold native resources until closed. */
interface EntryCursor extends Iterator<KvEntry>, AutoCloseable {

    @Override
    void close();
}
