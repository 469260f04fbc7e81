package dev.gdkit.core.transaction;

import dev.gdkit.api.model.OpVersion;
import java.util.Objects;

/**
 * A named action with its undo, registered on every node that may run it. A transaction refers to
 * it by name; a node runs it with the transaction's context.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #run} either succeeds or throws; when it throws it must leave nothing behind on this
 *       node (the engine does not undo a step on the node where it failed).</li>
 *   <li>{@link #undo} reverses a successful run. It may be called when the run's outcome is
 *       unknown (a lost reply, a crashed coordinator) and more than once after a crash, so it must
 *       be idempotent and must succeed when there is nothing to undo. It must work from the context
 *       as of before the step and from this node's own state.</li>
 *   <li>Runs of one transaction on one node never overlap; different transactions' steps may run
 *       at the same time, so steps must be thread-safe.</li>
 *   <li>{@link #introducedIn()} is the op-version that introduced the step: the engine refuses a
 *       transaction using it while the cluster or a target node runs a lower version.</li>
 * </ul>
 */
public interface Step {
    String name();

    default OpVersion introducedIn() {
        return OpVersion.MIN;
    }

    void run(StepContext ctx) throws Exception;

    default void undo(StepContext ctx) throws Exception {
    }

    /** A step action: what {@link #run} or {@link #undo} does. */
    @FunctionalInterface
    interface Action {
        void apply(StepContext ctx) throws Exception;
    }

    /** A step from two actions; {@code undo} may be null for a step with nothing to undo. */
    static Step of(String name, OpVersion introducedIn, Action run, Action undo) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(introducedIn, "introducedIn");
        Objects.requireNonNull(run, "run");
        return new Step() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public OpVersion introducedIn() {
                return introducedIn;
            }

            @Override
            public void run(StepContext ctx) throws Exception {
                run.apply(ctx);
            }

            @Override
            public void undo(StepContext ctx) throws Exception {
                if (undo != null) {
                    undo.apply(ctx);
                }
            }

            @Override
            public String toString() {
                return "Step[" + name + "]";
            }
        };
    }

    static Step of(String name, Action run, Action undo) {
        return of(name, OpVersion.MIN, run, undo);
    }
}
