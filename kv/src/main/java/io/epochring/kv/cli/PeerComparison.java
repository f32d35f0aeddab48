package io.epochring.kv.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The end of {@code demo --peer}: EpochRing and the peer side by side (puts/s, elapsed, syncs,
 * durability) and the ratio of their throughputs, EpochRing / peer, above 1 when EpochRing is
 * faster.
 */
final class PeerComparison {

    private static final String ROW = "  %-10s %12s %10s %9s  %s";

    private final ComparedRun epochRing;
    private final ComparedRun peer;

    PeerComparison(ComparedRun epochRing, ComparedRun peer) {
        this.epochRing = epochRing;
        this.peer = peer;
    }

    /** @return EpochRing's puts/s over the peer's, or NaN when either was not timed */
    double ratio() {
        double peerRate = peer.putsPerSecond();
        return peerRate <= 0 || epochRing.putsPerSecond() <= 0 ? Double.NaN : epochRing.putsPerSecond() / peerRate;
    }

    void print(PrintWriter out) {
        out.println("EpochRing vs " + peer.system() + " alone: the same puts on the same machine, in the same process, one run each");
        out.println(String.format(Locale.ROOT, ROW, "", "puts/s", "elapsed", "syncs", "durability"));
        for (ComparedRun run : new ComparedRun[] {epochRing, peer}) {
            out.println(String.format(Locale.ROOT, ROW, run.system(), Format.rate(run.puts(), run.nanos()), Format.seconds(run.nanos()),
                                      Format.count(run.syncs()), run.durability()));
        }
        double ratio = ratio();
        out.println("  ratio       EpochRing / " + peer.system() + " = " + (Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio))
                    + " (puts/s; above 1 when EpochRing is faster)");
        out.println("  elapsed     from the producers' start until every put had its durability: for EpochRing until its watermark"
                    + " reached the last write, for " + peer.system() + " until the last put returned (and the final sync, if any)");
        out.flush();
    }
}
