package io.epochring.kv.cli;

import io.epochring.journal.JournalInspector;
import io.epochring.journal.RecordType;
import io.epochring.kv.KvCodec;
import io.epochring.kv.KvOptions;
import io.epochring.kv.KvStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads back what the nodes of {@code cluster-demo} hold once they are stopped, and checks it
 * against what the writer was told: each node's journal holds writes at epochs 1, 2, 3... with no
 * gap; all nodes' journals, the restarted node's too (it caught up before the nodes were stopped),
 * are the same writes in the same order; no write is there twice; every write acknowledged REPLICATED is there at the
 * epoch it was acknowledged with; no write refused as not sent is there at all; and each node's
 * store, opened (and so recovered) here, holds exactly the writes of its journal.
 */
final class ClusterDemoVerification {

    /** One node's data directory, and whether it was killed and restarted on it. */
    record Node(int memberId, Path dir, boolean restarted) {
    }

    /** The outcome: every problem found (none when it passed), and a line per node saying what it holds. */
    record Result(List<String> problems, List<String> lines) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    /** A write as a journal holds it. */
    private record Logged(String key, String value) {
    }

    private final ClusterDemoWrites writes;
    private final List<String> problems = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    private ClusterDemoVerification(ClusterDemoWrites writes) {
        this.writes = writes;
    }

    static Result verify(List<Node> nodes, ClusterDemoWrites writes) {
        ClusterDemoVerification verification = new ClusterDemoVerification(writes);
        verification.run(nodes);
        return new Result(List.copyOf(verification.problems), List.copyOf(verification.lines));
    }

    private void run(List<Node> nodes) {
        List<List<Logged>> logs = new ArrayList<>();
        for (Node node : nodes) {
            logs.add(readJournal(node));
        }
        // The longest log is the reference, so that a node short of it is named as the one missing the tail.
        int reference = 0;
        for (int n = 1; n < nodes.size(); n++) {
            if (logs.get(n).size() > logs.get(reference).size()) {
                reference = n;
            }
        }
        List<Logged> referenceLog = logs.get(reference);
        checkAgainstWriter(referenceLog);
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            List<Logged> log = logs.get(n);
            String held = "journal epochs 1.." + Format.count(log.size());
            if (log.equals(referenceLog)) {
                held += ", the same writes in the same order as every other node";
            } else if (referenceLog.subList(0, log.size()).equals(log)) {
                problems.add(describe(node) + " holds epochs 1.." + log.size() + " of node " + nodes.get(reference).memberId()
                             + "'s 1.." + referenceLog.size() + ": it is missing the last " + (referenceLog.size() - log.size()));
                held += ", MISSING the last " + Format.count(referenceLog.size() - log.size());
            } else {
                problems.add(describe(node) + " holds other writes than node " + nodes.get(reference).memberId() + " (" + log.size()
                             + " against " + referenceLog.size() + ")");
                held += ", OTHER writes than node " + nodes.get(reference).memberId();
            }
            lines.add(String.format(Locale.ROOT, "%-18s %s; store %s", describe(node), held, checkStore(node, log)));
        }
    }

    private static String describe(Node node) {
        return "node " + node.memberId() + (node.restarted() ? " (restarted)" : " (stopped)");
    }

    /** @return the node's journaled writes in epoch order; a gap is a problem */
    private List<Logged> readJournal(Node node) {
        List<Logged> log = new ArrayList<>();
        try (JournalInspector inspector = JournalInspector.open(node.dir().resolve("store").resolve("journal"))) {
            inspector.forEach(0, Long.MAX_VALUE, KvCodec.INSTANCE, (entry, write) -> {
                if (entry.type() != RecordType.WRITE) {
                    return;
                }
                if (entry.epoch() != log.size() + 1L) {
                    problems.add("node " + node.memberId() + " journals epoch " + entry.epoch() + " after " + log.size());
                }
                log.add(new Logged(text(write.key()), text(write.value())));
            });
        } catch (RuntimeException e) {
            problems.add("node " + node.memberId() + ": its journal could not be read (" + EpochRingCli.oneLine(e) + ")");
        }
        return log;
    }

    private void checkAgainstWriter(List<Logged> log) {
        Set<String> seen = new HashSet<>();
        for (int e = 0; e < log.size(); e++) {
            Logged logged = log.get(e);
            int i = ClusterDemoWrites.index(logged.key());
            if (!seen.add(logged.key())) {
                problems.add("epoch " + (e + 1) + " applies " + logged.key() + " again");
            } else if (i < 0 || i >= writes.count() || !logged.value().equals(ClusterDemoWrites.value(i))) {
                problems.add("epoch " + (e + 1) + " holds a write this run did not make: " + logged.key() + "=" + logged.value());
            } else if (writes.outcome(i) == ClusterDemoWrites.Outcome.NOT_SENT) {
                problems.add("epoch " + (e + 1) + " holds " + logged.key() + ", which the writer refused as not sent");
            }
        }
        for (int i = 0; i < writes.count(); i++) {
            if (writes.outcome(i) != ClusterDemoWrites.Outcome.ACKNOWLEDGED) {
                continue;
            }
            long epoch = writes.epoch(i);
            if (epoch < 1 || epoch > log.size() || !log.get((int) epoch - 1).key().equals(ClusterDemoWrites.key(i))) {
                problems.add(ClusterDemoWrites.key(i) + " was acknowledged REPLICATED at epoch " + epoch + " but the nodes hold "
                             + (epoch < 1 || epoch > log.size() ? "no such epoch" : log.get((int) epoch - 1).key() + " there"));
            }
        }
    }

    /** Opens the node's store (recovering it, as a restart would) and compares it with its journal. */
    private String checkStore(Node node, List<Logged> log) {
        try (KvStore store = KvStore.open(node.dir().resolve("store"), KvOptions.builder().name("verify-node" + node.memberId()).build())) {
            int mismatches = 0;
            for (Logged logged : log) {
                byte[] value = store.get(logged.key().getBytes(StandardCharsets.UTF_8));
                if (value == null || !Arrays.equals(value, logged.value().getBytes(StandardCharsets.UTF_8))) {
                    mismatches++;
                }
            }
            long keys = store.forEach(null, null, entry -> { });
            if (mismatches > 0 || keys != log.size()) {
                problems.add("node " + node.memberId() + "'s store holds " + keys + " keys, " + mismatches + " of its journal's "
                             + log.size() + " writes missing or different");
                return Format.count(keys) + " keys, " + Format.count(mismatches) + " MISMATCHED";
            }
            return Format.count(keys) + " keys, all match";
        } catch (RuntimeException e) {
            problems.add("node " + node.memberId() + ": its store could not be opened (" + EpochRingCli.oneLine(e) + ")");
            return "not readable";
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
