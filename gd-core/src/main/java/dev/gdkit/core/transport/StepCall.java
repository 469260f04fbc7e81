package dev.gdkit.core.transport;

import dev.gdkit.api.model.NodeId;
import java.util.Map;
import java.util.Objects;

/**
 * A request to run or undo one step of a transaction on one node.
 *
 * @param txnId the transaction's id
 * @param reqId the id of the request that started the transaction (for logs)
 * @param step the registered step name
 * @param stepIndex the step's position in the transaction, from 0
 * @param coordinator the node that sends the call
 * @param target the node that must run it; a node refuses calls addressed to another node
 * @param context the transaction context as of before this step
 */
public record StepCall(String txnId, String reqId, String step, int stepIndex, NodeId coordinator, NodeId target,
                       Map<String, String> context) {
    public StepCall {
        Objects.requireNonNull(txnId, "txnId");
        reqId = reqId == null ? "" : reqId;
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(coordinator, "coordinator");
        Objects.requireNonNull(target, "target");
        context = Map.copyOf(context);
    }
}
