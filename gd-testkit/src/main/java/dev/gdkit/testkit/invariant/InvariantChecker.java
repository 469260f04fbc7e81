package dev.gdkit.testkit.invariant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.testkit.cluster.NodeDisk;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.steps.RecordingSteps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Judges a simulated cluster after faults: the store and every node agree, and no transaction is
 * half applied. Each method returns the violations found, as sentences; empty means all is well.
 */
public final class InvariantChecker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatedCluster cluster;
    private final NavigableMap<String, Versioned> store;

    public InvariantChecker(SimulatedCluster cluster) {
        this.cluster = cluster;
        this.store = cluster.store().snapshot(cluster.namespace());
    }

    /** Everything: {@link #unfinished()}, {@link #storeConsistency()} and {@link #atomicity()}. */
    public List<String> check() {
        List<String> out = new ArrayList<>(unfinished());
        out.addAll(storeConsistency());
        out.addAll(atomicity());
        return out;
    }

    /** Transactions still running or being recovered, locks still held, undos owed by running nodes. */
    public List<String> unfinished() {
        List<String> out = new ArrayList<>();
        for (Versioned v : under(StoreLayout.TXNS)) {
            JsonNode j = read(v);
            String phase = j.path("phase").asText();
            if (!phase.equals("UNDO_PENDING")) {
                out.add("transaction " + j.path("name").asText() + " (" + v.name() + ") is still " + phase
                        + ", owned by " + j.path("owner").asText());
                continue;
            }
            j.path("pendingUndo").fieldNames().forEachRemaining(n -> {
                if (cluster.isRunning(NodeId.of(n))) {
                    out.add("node " + n + " is running but still owes the undo of transaction " + v.name());
                }
            });
        }
        for (Versioned v : under(StoreLayout.LOCKS)) {
            out.add("lock '" + v.name() + "' is held by transaction " + v.valueAsString());
        }
        return out;
    }

    /** Store-level agreement: locks belong to journals, liveness keys to members. */
    public List<String> storeConsistency() {
        List<String> out = new ArrayList<>();
        for (Versioned v : under(StoreLayout.LOCKS)) {
            if (!store.containsKey(StoreLayout.txn(v.valueAsString()))) {
                out.add("lock '" + v.name() + "' names transaction " + v.valueAsString() + ", which has no journal");
            }
        }
        for (Versioned v : under(StoreLayout.ALIVE)) {
            if (!store.containsKey(StoreLayout.peer(v.name()))) {
                out.add("node " + v.name() + " is alive but has no peer record");
            }
        }
        for (NodeId id : cluster.ids()) {
            boolean alive = store.containsKey(StoreLayout.alive(id.value()));
            if (alive != cluster.isRunning(id)) {
                out.add("node " + id + " is " + (cluster.isRunning(id) ? "running" : "crashed") + " but the store says it is "
                        + (alive ? "alive" : "down"));
            }
        }
        return out;
    }

    /**
     * All or nothing: a committed transaction has every planned recording step's mark on every
     * planned node; one that did not commit has none left anywhere.
     */
    public List<String> atomicity() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<Map.Entry<String, List<NodeId>>>> e : cluster.plans().entrySet()) {
            String txn = e.getKey();
            boolean committed = store.containsKey(SimulatedCluster.COMMITTED + "/" + txn);
            for (Map.Entry<String, List<NodeId>> step : e.getValue()) {
                if (!cluster.recordingStepNames().contains(step.getKey())) {
                    continue; // custom steps leave no marks to judge
                }
                for (NodeId n : step.getValue()) {
                    boolean applied = cluster.disk(n).contains(RecordingSteps.mark(txn, step.getKey()));
                    if (committed && !applied) {
                        out.add("transaction " + txn + " committed but step " + step.getKey() + " is not applied on " + n);
                    } else if (!committed && applied) {
                        out.add("transaction " + txn + " did not commit but step " + step.getKey() + " is still applied on " + n);
                    }
                }
            }
        }
        for (NodeId n : cluster.ids()) {
            NodeDisk disk = cluster.disk(n);
            for (String key : disk.under(RecordingSteps.APPLIED).keySet()) {
                String txn = key.substring(RecordingSteps.APPLIED.length(), key.indexOf('/', RecordingSteps.APPLIED.length()));
                if (!cluster.plans().containsKey(txn) && !store.containsKey(SimulatedCluster.COMMITTED + "/" + txn)) {
                    out.add("node " + n + " has a mark of unknown, uncommitted transaction " + txn);
                }
            }
        }
        return out;
    }

    private List<Versioned> under(String prefix) {
        List<Versioned> out = new ArrayList<>();
        for (Map.Entry<String, Versioned> e : store.subMap(prefix + "/", prefix + "/" + Character.MAX_VALUE).entrySet()) {
            if (StoreKeys.parent(e.getKey()).equals(prefix)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    private static JsonNode read(Versioned v) {
        try {
            return JSON.readTree(v.value());
        } catch (IOException e) {
            throw new AssertionError("journal " + v.key() + " is not JSON: " + e.getMessage());
        }
    }
}
