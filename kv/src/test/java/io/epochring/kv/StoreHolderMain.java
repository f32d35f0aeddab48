package io.epochring.kv;

import io.epochring.DurabilityLevel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link StoreLockTest}: opens the store in {@code args[0]}, puts
 * {@code args[1]} keys ({@code k1=v1}...) and waits until they are JOURNALED, prints
 * {@code OPEN <pid>}, and keeps the store open until killed.
 */
public final class StoreHolderMain {

    private StoreHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        KvStore store = KvStore.open(Path.of(args[0]));
        int keys = Integer.parseInt(args[1]);
        for (int i = 1; i <= keys; i++) {
            store.put(("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8))
                 .await(DurabilityLevel.JOURNALED);
        }
        System.out.println("OPEN " + ProcessHandle.current().pid());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
