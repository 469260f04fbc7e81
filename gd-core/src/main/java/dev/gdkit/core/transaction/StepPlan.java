package dev.gdkit.core.transaction;

import dev.gdkit.api.model.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * One step of a transaction: the registered step's name and the nodes it runs on, in parallel.
 */
public record StepPlan(String step, List<NodeId> nodes) {
    public StepPlan {
        Objects.requireNonNull(step, "step");
        nodes = List.copyOf(nodes);
    }
}
