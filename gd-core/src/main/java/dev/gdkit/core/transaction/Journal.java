package dev.gdkit.core.transaction;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A transaction's journal, stored at {@code txns/<id>} from the moment its locks are taken until it
 * has committed or been undone. It holds what any node needs to finish the transaction's undo after
 * a crash: the steps with their nodes, the highest step dispatched, and the context.
 *
 * @param txnId the transaction id
 * @param name the operation
 * @param reqId the request id
 * @param coordinator the node that started it
 * @param owner the node driving it now (the coordinator, or a node that took over)
 * @param phase where it is
 * @param dispatched the highest step index that may have run somewhere
 * @param locks the lock objects it holds
 * @param steps its steps
 * @param context the context as of before step {@code dispatched}
 * @param pendingUndo for UNDO_PENDING: per node, the step indices it still owes, highest first
 * @param startedAt when it started (epoch millis)
 */
record Journal(String txnId, String name, String reqId, String coordinator, String owner, Phase phase, int dispatched,
               List<String> locks, List<JournalStep> steps, Map<String, String> context,
               Map<String, List<Integer>> pendingUndo, long startedAt) {

    enum Phase { RUNNING, UNDOING, UNDO_PENDING }

    record JournalStep(@JsonProperty("step") String step, @JsonProperty("nodes") List<String> nodes) {
    }

    @JsonCreator
    Journal(@JsonProperty("txnId") String txnId, @JsonProperty("name") String name, @JsonProperty("reqId") String reqId,
            @JsonProperty("coordinator") String coordinator, @JsonProperty("owner") String owner,
            @JsonProperty("phase") Phase phase, @JsonProperty("dispatched") int dispatched,
            @JsonProperty("locks") List<String> locks, @JsonProperty("steps") List<JournalStep> steps,
            @JsonProperty("context") Map<String, String> context,
            @JsonProperty("pendingUndo") Map<String, List<Integer>> pendingUndo,
            @JsonProperty("startedAt") long startedAt) {
        this.txnId = Objects.requireNonNull(txnId);
        this.name = name;
        this.reqId = reqId == null ? "" : reqId;
        this.coordinator = coordinator;
        this.owner = owner;
        this.phase = phase;
        this.dispatched = dispatched;
        this.locks = locks == null ? List.of() : List.copyOf(locks);
        this.steps = steps == null ? List.of() : List.copyOf(steps);
        this.context = context == null ? Map.of() : Map.copyOf(context);
        this.pendingUndo = pendingUndo == null ? Map.of() : Map.copyOf(pendingUndo);
        this.startedAt = startedAt;
    }

    Journal dispatching(int index, Map<String, String> ctx) {
        return new Journal(txnId, name, reqId, coordinator, owner, phase, index, locks, steps, ctx, pendingUndo, startedAt);
    }

    Journal undoing(String newOwner) {
        return new Journal(txnId, name, reqId, coordinator, newOwner, Phase.UNDOING, dispatched, locks, steps, context,
                pendingUndo, startedAt);
    }

    Journal pending(Map<String, List<Integer>> pending) {
        return new Journal(txnId, name, reqId, coordinator, owner, Phase.UNDO_PENDING, dispatched, locks, steps, context,
                new LinkedHashMap<>(pending), startedAt);
    }
}
