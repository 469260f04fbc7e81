package dev.gdkit.core.transaction;

import dev.gdkit.api.model.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a step sees while it runs or undoes on one node: the transaction's ids, this node, and the
 * transaction context (string keys and values set by the transaction's author and by earlier
 * steps' outputs). A step adds outputs with {@link #output(String, String)}; they are visible to
 * later steps. A step that runs on several nodes must use keys unique to the node
 * ({@link #nodeKey(String)}), or the outputs overwrite each other.
 */
public final class StepContext {
    private final String txnId;
    private final String reqId;
    private final NodeId node;
    private final String step;
    private final int stepIndex;
    private final Map<String, String> context;
    private final Map<String, String> outputs = new HashMap<>();

    public StepContext(String txnId, String reqId, NodeId node, String step, int stepIndex, Map<String, String> context) {
        this.txnId = txnId;
        this.reqId = reqId;
        this.node = node;
        this.step = step;
        this.stepIndex = stepIndex;
        this.context = Map.copyOf(context);
    }

    public String txnId() {
        return txnId;
    }

    public String reqId() {
        return reqId;
    }

    /** The node this step runs on. */
    public NodeId node() {
        return node;
    }

    public String step() {
        return step;
    }

    public int stepIndex() {
        return stepIndex;
    }

    /** The whole context as of before this step. */
    public Map<String, String> context() {
        return context;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(context.get(key));
    }

    /** The value of a key the transaction must carry; a clear error when it is missing. */
    public String require(String key) {
        String v = context.get(key);
        if (v == null) {
            throw new IllegalStateException("step " + step + " needs context key '" + key + "', which the transaction did not set");
        }
        return v;
    }

    /** {@code key@node}: a context key unique to this node. */
    public String nodeKey(String key) {
        return key + "@" + node.value();
    }

    /** Adds a value to the context for later steps. */
    public void output(String key, String value) {
        outputs.put(key, value);
    }

    public Map<String, String> outputs() {
        return Map.copyOf(outputs);
    }
}
