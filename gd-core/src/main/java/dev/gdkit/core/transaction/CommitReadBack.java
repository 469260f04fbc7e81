package dev.gdkit.core.transaction;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * After a commit whose outcome is unknown (the connection broke after the request was sent), tells
 * from the store's latest state whether it applied: every write visible, none visible, or a state
 * that cannot say (another client changed the same keys meanwhile).
 */
final class CommitReadBack {
    enum Seen { APPLIED, NOT_APPLIED, CANNOT_TELL }

    private CommitReadBack() {
    }

    static Seen check(ClusterStore store, List<StoreOp> ops) {
        int applied = 0;
        int notApplied = 0;
        for (StoreOp op : ops) {
            Optional<Boolean> v = visible(store, op);
            if (v.isEmpty()) {
                continue;
            }
            if (v.get()) {
                applied++;
            } else {
                notApplied++;
            }
        }
        if (applied > 0 && notApplied == 0) {
            return Seen.APPLIED;
        }
        if (notApplied > 0 && applied == 0) {
            return Seen.NOT_APPLIED;
        }
        return Seen.CANNOT_TELL;
    }

    /** Whether the op's effect is in the store: true, false, or empty for conditions (they write nothing). */
    private static Optional<Boolean> visible(ClusterStore store, StoreOp op) {
        if (op instanceof StoreOp.Check || op instanceof StoreOp.CheckAbsent) {
            return Optional.empty();
        }
        Optional<Versioned> now = store.getLatest(op.key());
        if (op instanceof StoreOp.Create c) {
            return Optional.of(now.isPresent() && Arrays.equals(now.get().value(), c.value()));
        }
        if (op instanceof StoreOp.Put p) {
            return Optional.of(now.isPresent() && Arrays.equals(now.get().value(), p.value()));
        }
        if (op instanceof StoreOp.Update u) {
            return Optional.of(now.isPresent() && now.get().version() == u.expectedVersion() + 1
                    && Arrays.equals(now.get().value(), u.value()));
        }
        if (op instanceof StoreOp.Delete) {
            return Optional.of(now.isEmpty());
        }
        return Optional.empty();
    }
}
