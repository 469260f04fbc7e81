package dev.gdkit.examples.demo;

import dev.gdkit.core.transaction.NodeOutcome;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.invariant.InvariantChecker;
import java.io.PrintStream;
import java.util.List;

/**
 * The quick-start demo: a simulated three-node cluster in this JVM runs a three-step transaction
 * that commits, then the same transaction with a failure injected at its last step on one node,
 * and prints every node's outcome and the rollback. Exit code 0 when the cluster ends consistent.
 */
public final class TransactionDemo {
    private TransactionDemo() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    static int run(PrintStream out) {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3)
                .recordingSteps("prepare-bricks", "write-volfiles", "start-bricks").build()) {
            out.println("Simulated cluster of " + c.ids().size() + " nodes: " + c.ids()
                    + " (in-memory store, in-process transport)");
            out.println();

            var ok = plan(c, "volume-create vol1", "volume:vol1");
            out.println("== 1. " + "volume-create vol1: three steps on every node");
            print(out, c.execute(c.node(1), ok));

            var bad = plan(c, "volume-create vol2", "volume:vol2");
            c.faults().failRun("start-bricks", c.id(2));
            out.println("== 2. volume-create vol2, with 'start-bricks' made to fail on " + c.id(2));
            print(out, c.execute(c.node(1), bad));

            List<String> violations = new InvariantChecker(c).check();
            out.println("== Invariant check (store and every node agree, nothing half applied): "
                    + (violations.isEmpty() ? "OK" : "VIOLATIONS " + violations));
            out.println("   vol1 applied on every node: " + c.ids().stream()
                    .allMatch(n -> c.disk(n).under("applied/" + ok.id() + "/").size() == 3));
            out.println("   vol2 left anywhere:         " + c.ids().stream()
                    .anyMatch(n -> !c.disk(n).under("applied/" + bad.id() + "/").isEmpty()));
            return violations.isEmpty() ? 0 : 1;
        }
    }

    private static SimulatedCluster.PlannedTransaction plan(SimulatedCluster c, String name, String lock) {
        return c.transaction(name).lock(lock)
                .step("prepare-bricks", c.ids()).step("write-volfiles", c.ids()).step("start-bricks", c.ids());
    }

    private static void print(PrintStream out, TransactionResult r) {
        out.println("   result: " + r.status() + r.error().map(e -> " - " + e.code() + ": " + e.getMessage()).orElse(""));
        out.printf("   %-4s %-16s %-4s %-9s %s%n", "node", "step", "#", "outcome", "detail");
        for (NodeOutcome o : r.outcomes()) {
            out.printf("   %-4s %-16s %-4d %-9s %s%n", o.node(), o.step(), o.stepIndex(), o.outcome(), o.message());
        }
        out.println();
    }
}
