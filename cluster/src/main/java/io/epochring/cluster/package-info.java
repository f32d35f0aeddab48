/**
 * Replicates EpochRing's ordered stream of writes with Aeron Cluster (Raft over Aeron, with Aeron
 * Archive keeping the log and snapshots): consensus, elections and log replication are Aeron's;
 * this package only puts writes into the cluster log and takes them out into each node's ring.
 *
 * <pre>
 *  any thread, any process
 *  ClusterWriter.write(w) --codec--> AeronCluster.offer (ingress: writer id | sequence | write bytes)
 *                                          |
 *                                          v
 *  leader's consensus module: appends to the cluster log, replicates it to the followers;
 *  an entry is committed once a majority has it in its archive ..................... REPLICATED
 *                                          |
 *            +-----------------------------+-----------------------------+
 *            v                             v                             v
 *  node 0: EpochRingClusteredService node 1: (same)                node 2: (same)
 *          onSessionMessage, in log order, on the service container's thread:
 *          a (writer id, sequence) seen before: answer its first epoch, apply nothing
 *          else decode, epoch := last + 1, Channel.publish(w) -- one channel, one writer
 *            |
 *            v
 *          local EpochRing: APPLIED -> JOURNALED -> WRITTEN -> DURABLE (the node's own journal and storage)
 *
 *  the leader's service replies (egress: sequence | epoch) --> the writer's future completes
 *  a new leader while writes are in flight --> the writer sends them again, in order, before newer ones
 * </pre>
 *
 * <p>Every node gives the same write the same epoch, since each one counts the same committed log
 * in the same order. Snapshots record the last epoch handed over (made DURABLE on the node first)
 * and the log position; after a restart the ring recovers its journal, Aeron replays the log from
 * the snapshot, and the service skips the writes the ring already holds. The per-writer memory
 * that recognises a write sent again is part of the snapshot too, and the log rebuilds it on replay.
 *
 * <p>{@link io.epochring.cluster.ClusterMember} launches one node's Aeron parts (media driver,
 * archive, consensus module, service container) on 127.0.0.1 with sleeping idle strategies, on
 * the ports {@link io.epochring.cluster.ClusterPorts} lays out: what the tests and the command-line
 * tool's {@code cluster-demo} run; a production node sets its own contexts up the same way.
 */
package io.epochring.cluster;
