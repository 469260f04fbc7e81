package dev.gdkit.core.transaction;

/**
 * Watches a coordinator's progress: for metrics, tracing, and fault injection in tests. Called on
 * the coordinating thread, synchronously; an observer that throws aborts the coordinator as a crash
 * would at that point (the journal lets recovery finish the job).
 */
public interface TransactionObserver {
    /** The journal records step {@code index} as dispatched; nothing has been sent yet. */
    default void beforeStep(String txnId, String step, int index) {
    }

    /** Step {@code index} has answered on every node (successfully or not). */
    default void afterStep(String txnId, String step, int index, boolean succeeded) {
    }

    /** Every step succeeded; the commit is about to be written. */
    default void beforeCommit(String txnId) {
    }

    TransactionObserver NONE = new TransactionObserver() {
    };
}
