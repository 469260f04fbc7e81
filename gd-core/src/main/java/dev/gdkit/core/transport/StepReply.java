package dev.gdkit.core.transport;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.model.NodeId;
import java.util.Map;
import java.util.Objects;

/**
 * What a node answered to a {@link StepCall}: success with outputs, or the step's own failure
 * (which is not a transport failure: the node was reached and the step reported an error).
 *
 * @param node the node that answered
 * @param ok whether the step succeeded
 * @param outputs values the step added to the transaction context (success only)
 * @param code the error code (failure only; {@link ErrorCode#INTERNAL} when ok)
 * @param message what went wrong (failure only)
 * @param remedy what to do about it (failure only)
 */
public record StepReply(NodeId node, boolean ok, Map<String, String> outputs, ErrorCode code, String message,
                        String remedy) {
    public StepReply {
        Objects.requireNonNull(node, "node");
        outputs = Map.copyOf(outputs);
        code = code == null ? ErrorCode.INTERNAL : code;
        message = message == null ? "" : message;
        remedy = remedy == null ? "" : remedy;
    }

    public static StepReply success(NodeId node, Map<String, String> outputs) {
        return new StepReply(node, true, outputs, ErrorCode.INTERNAL, "", "");
    }

    public static StepReply failure(NodeId node, ErrorCode code, String message, String remedy) {
        return new StepReply(node, false, Map.of(), code, message, remedy);
    }
}
