package io.epochring.kv;

import io.epochring.View;

import java.util.List;
import java.util.function.Supplier;

/**
 * Reads one key through the store's layers, newest first, from one {@link View}: the live segment,
 * the frozen segments waiting for the flusher, then the RocksDB snapshot. Readers use it through
 * {@link KvStore#entry}; the apply thread uses it for the value an add adds to.
 *
 * <p>A view's layers together hold every applied write exactly once: the engine publishes a new
 * view at each freeze (on the apply thread) and after each flush (the segment leaves the frozen
 * list and the snapshot that holds it arrives, in one step). When a newer flush released the
 * view's snapshot before the read took a reference, the read starts again on the current view.
 */
final class Layers {

    private Layers() {
    }

    /** @return the newest entry for {@code key} in any layer (possibly a tombstone), or null */
    static KvEntry entry(Supplier<View<KvSegment, KvSnapshot>> views, byte[] key) {
        return read(views, key, true);
    }

    /**
     * @return the newest entry for {@code key} in the frozen segments or the snapshot, or null; for
     * the apply thread, which reads its own live segment first
     */
    static KvEntry belowLive(Supplier<View<KvSegment, KvSnapshot>> views, byte[] key) {
        return read(views, key, false);
    }

    private static KvEntry read(Supplier<View<KvSegment, KvSnapshot>> views, byte[] key, boolean withLive) {
        while (true) {
            View<KvSegment, KvSnapshot> view = views.get();
            KvEntry entry = withLive ? view.live().get(key) : null;
            if (entry != null) {
                return entry;
            }
            List<KvSegment> frozen = view.frozen();
            for (int i = 0; i < frozen.size(); i++) {
                entry = frozen.get(i).get(key);
                if (entry != null) {
                    return entry;
                }
            }
            KvSnapshot snapshot = view.snapshot();
            if (snapshot.tryAcquire()) {
                try {
                    return snapshot.entry(key);
                } finally {
                    snapshot.release();
                }
            }
            // A newer flush replaced and released this view's snapshot meanwhile: read the new view.
        }
    }
}
