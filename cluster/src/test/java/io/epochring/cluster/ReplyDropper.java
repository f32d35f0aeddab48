package io.epochring.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A clustered service in front of another that loses the next {@link #drop(int) n} replies its
 * service offers to writers, as an egress that never delivers them would: the offer reports
 * success and nothing is sent. The log, and what the service applies, are untouched.
 */
final class ReplyDropper implements ClusteredService {

    private final ClusteredService service;
    private final AtomicInteger toDrop = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    ReplyDropper(ClusteredService service) {
        this.service = service;
    }

    /** The next {@code replies} replies are lost. */
    void drop(int replies) {
        toDrop.set(replies);
    }

    int dropped() {
        return dropped.get();
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length, Header header) {
        service.onSessionMessage(session == null ? null : losing(session), timestamp, buffer, offset, length, header);
    }

    private ClientSession losing(ClientSession session) {
        return (ClientSession) Proxy.newProxyInstance(ClientSession.class.getClassLoader(), new Class<?>[] {ClientSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("offer") && toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        dropped.incrementAndGet();
                        return 1L;
                    }
                    try {
                        return method.invoke(session, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public void onStart(Cluster cluster, Image snapshotImage) {
        service.onStart(cluster, snapshotImage);
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
        service.onSessionOpen(session, timestamp);
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
        service.onSessionClose(session, timestamp, closeReason);
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
        service.onTimerEvent(correlationId, timestamp);
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication snapshotPublication) {
        service.onTakeSnapshot(snapshotPublication);
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        service.onRoleChange(newRole);
    }

    @Override
    public void onTerminate(Cluster cluster) {
        service.onTerminate(cluster);
    }
}
