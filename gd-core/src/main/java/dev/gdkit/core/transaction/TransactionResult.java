package dev.gdkit.core.transaction;

import dev.gdkit.api.error.GdException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a transaction ended, with every node's outcome of every step that was tried.
 *
 * @param txnId the transaction id
 * @param name the operation
 * @param status how it ended
 * @param outcomes per node and step, in the order they were decided
 * @param context the final context (with steps' outputs)
 * @param error the error when it did not commit
 */
public record TransactionResult(String txnId, String name, Status status, List<NodeOutcome> outcomes,
                                Map<String, String> context, Optional<GdException> error) {
    /** How a transaction ended. */
    public enum Status {
        /** Every step succeeded everywhere and the commit applied. */
        COMMITTED,
        /** A step failed; every completed step was undone everywhere; nothing stays applied. */
        ROLLED_BACK,
        /** A step failed and was undone where possible; some nodes still owe an undo (see outcomes). */
        UNDO_PENDING,
        /** The coordinator lost the transaction (session lost); recovery undoes it. */
        ABORTED
    }

    public TransactionResult {
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(status, "status");
        outcomes = List.copyOf(outcomes);
        context = Map.copyOf(context);
        Objects.requireNonNull(error, "error");
    }

    public boolean committed() {
        return status == Status.COMMITTED;
    }

    /** Returns this result when it committed; throws its error otherwise. */
    public TransactionResult orThrow() {
        if (error.isPresent()) {
            throw error.get();
        }
        return this;
    }
}
