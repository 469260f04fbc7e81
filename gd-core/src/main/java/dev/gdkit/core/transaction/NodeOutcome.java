package dev.gdkit.core.transaction;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.model.NodeId;
import java.util.Objects;

/**
 * What happened to one step on one node.
 *
 * @param node the node
 * @param step the step name
 * @param stepIndex the step's position
 * @param outcome what happened
 * @param code the error code when it went wrong ({@link ErrorCode#INTERNAL} otherwise)
 * @param message what went wrong ("" when nothing did)
 * @param remedy what to do about it
 */
public record NodeOutcome(NodeId node, String step, int stepIndex, Outcome outcome, ErrorCode code, String message,
                          String remedy) {
    /** The fate of a step on a node. */
    public enum Outcome {
        /** Ran and succeeded; stays applied (the transaction committed). */
        SUCCEEDED,
        /** Ran and failed; the step left nothing behind. */
        FAILED,
        /** The node could not be reached or did not answer in time; it may have run. */
        UNKNOWN,
        /** Ran (or may have), then was undone. */
        UNDONE,
        /** The undo could not run; the node still owes it and will undo when it is back. */
        UNDO_PENDING
    }

    public NodeOutcome {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(outcome, "outcome");
        code = code == null ? ErrorCode.INTERNAL : code;
        message = message == null ? "" : message;
        remedy = remedy == null ? "" : remedy;
    }

    public static NodeOutcome ok(NodeId node, String step, int index, Outcome outcome) {
        return new NodeOutcome(node, step, index, outcome, ErrorCode.INTERNAL, "", "");
    }

    public boolean isError() {
        return outcome == Outcome.FAILED || outcome == Outcome.UNKNOWN || outcome == Outcome.UNDO_PENDING;
    }

    public NodeError toNodeError() {
        return new NodeError(node.value(), step, code, message, remedy);
    }

    @Override
    public String toString() {
        return node + " " + step + "#" + stepIndex + " " + outcome + (message.isEmpty() ? "" : ": " + message)
                + (remedy.isEmpty() ? "" : " (" + remedy + ")");
    }
}
