package dev.gdkit.core.transaction;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.store.StoreOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * A transaction: the locks it holds, its ordered steps, its starting context, and the store
 * changes it commits when every step has succeeded. Build one with {@link #builder(String)}.
 *
 * <p>Locks name objects ({@code volume:vol1}, {@code peer:<id>}): transactions with disjoint
 * locks run at the same time, transactions sharing one queue for it.
 */
public final class Transaction {
    private final String name;
    private final String id;
    private final String reqId;
    private final SortedSet<String> locks;
    private final List<StepPlan> steps;
    private final Map<String, String> context;
    private final Function<Map<String, String>, List<StoreOp>> commitOps;

    private Transaction(Builder b) {
        this.name = b.name;
        this.id = b.id;
        this.reqId = b.reqId;
        this.locks = new TreeSet<>(b.locks);
        this.steps = List.copyOf(b.steps);
        this.context = Map.copyOf(b.context);
        this.commitOps = b.commitOps;
    }

    /** A new transaction for the operation {@code name} (for example {@code volume-create}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    public String reqId() {
        return reqId;
    }

    public SortedSet<String> locks() {
        return locks;
    }

    public List<StepPlan> steps() {
        return steps;
    }

    public Map<String, String> context() {
        return context;
    }

    /** The store operations to commit atomically with the transaction's end, from the final context. */
    public List<StoreOp> commitOps(Map<String, String> finalContext) {
        return commitOps.apply(finalContext);
    }

    /** Builds a {@link Transaction}. */
    public static final class Builder {
        private final String name;
        private String id = UUID.randomUUID().toString();
        private String reqId = "";
        private final List<String> locks = new ArrayList<>();
        private final List<StepPlan> steps = new ArrayList<>();
        private final Map<String, String> context = new LinkedHashMap<>();
        private Function<Map<String, String>, List<StoreOp>> commitOps = c -> List.of();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw GdException.invalid("transaction name is empty", "name the operation, for example 'volume-create'");
            }
            this.name = name;
        }

        /** Overrides the generated transaction id (a UUID). */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The id of the request that started it, carried into every log line as {@code reqid}. */
        public Builder reqId(String reqId) {
            this.reqId = reqId == null ? "" : reqId;
            return this;
        }

        public Builder lock(String object) {
            locks.add(Objects.requireNonNull(object, "lock"));
            return this;
        }

        public Builder step(String step, List<NodeId> nodes) {
            steps.add(new StepPlan(step, nodes));
            return this;
        }

        public Builder step(String step, NodeId... nodes) {
            return step(step, Arrays.asList(nodes));
        }

        public Builder context(String key, String value) {
            context.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder context(Map<String, String> values) {
            values.forEach(this::context);
            return this;
        }

        /** Store operations committed in the same atomic commit that ends the transaction. */
        public Builder commit(Function<Map<String, String>, List<StoreOp>> ops) {
            this.commitOps = Objects.requireNonNull(ops, "ops");
            return this;
        }

        public Builder commit(List<StoreOp> ops) {
            List<StoreOp> copy = List.copyOf(ops);
            return commit(c -> copy);
        }

        public Transaction build() {
            return new Transaction(this);
        }
    }
}
