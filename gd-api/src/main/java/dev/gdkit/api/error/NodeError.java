package dev.gdkit.api.error;

import java.util.Objects;

/**
 * What went wrong on one node during an operation that involved several.
 *
 * @param node the node's id
 * @param step the step that failed there, or an empty string when not in a step
 * @param code the stable error code
 * @param message what is wrong
 * @param remedy what the operator can do about it
 */
public record NodeError(String node, String step, ErrorCode code, String message, String remedy) {
    public NodeError {
        Objects.requireNonNull(node, "node");
        step = step == null ? "" : step;
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        remedy = remedy == null ? "" : remedy;
    }

    @Override
    public String toString() {
        return node + (step.isEmpty() ? "" : " [" + step + "]") + ": " + message
                + (remedy.isEmpty() ? "" : " (" + remedy + ")");
    }
}
