package dev.gdkit.testkit.steps;

import dev.gdkit.api.model.OpVersion;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.StepContext;
import dev.gdkit.testkit.cluster.NodeDisk;
import dev.gdkit.testkit.steps.StepFaults.Phase;
import java.time.Duration;

/**
 * Steps whose effect is a mark on the node's {@link NodeDisk}: run writes
 * {@code applied/<txnId>/<step>}, undo removes it. The invariant checker reads the marks to decide
 * whether a transaction is half applied. Faults come from a shared {@link StepFaults}.
 */
public final class RecordingSteps {
    /** The prefix of every mark. */
    public static final String APPLIED = "applied/";

    private RecordingSteps() {
    }

    /** The disk key marking that {@code step} of {@code txnId} is applied. */
    public static String mark(String txnId, String step) {
        return APPLIED + txnId + "/" + step;
    }

    public static Step step(String name, NodeDisk disk, StepFaults faults) {
        return step(name, OpVersion.MIN, disk, faults);
    }

    public static Step step(String name, OpVersion introducedIn, NodeDisk disk, StepFaults faults) {
        return Step.of(name, introducedIn, ctx -> {
            pause(faults.delayOf(name, ctx.node(), Phase.RUN));
            if (faults.shouldFail(name, ctx.node(), Phase.RUN)) {
                throw new IllegalStateException("injected failure of " + name + " on " + ctx.node());
            }
            disk.put(mark(ctx.txnId(), name), ctx.node().value());
            ctx.output(ctx.nodeKey(name), "done");
            faults.ranOn(name, ctx.node());
        }, ctx -> {
            pause(faults.delayOf(name, ctx.node(), Phase.UNDO));
            if (faults.shouldFail(name, ctx.node(), Phase.UNDO)) {
                throw new IllegalStateException("injected undo failure of " + name + " on " + ctx.node());
            }
            disk.remove(mark(ctx.txnId(), name));
        });
    }

    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a step context's transaction has the mark on this disk (for custom steps). */
    public static boolean applied(NodeDisk disk, StepContext ctx) {
        return disk.contains(mark(ctx.txnId(), ctx.step()));
    }
}
