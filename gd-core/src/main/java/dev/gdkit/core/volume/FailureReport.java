package dev.gdkit.core.volume;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.model.VolumeState;
import java.util.List;

/**
 * What went wrong in a volume's last failed operation, kept in the store at
 * {@code volume-reports/<volume>} until the operation succeeds (or the volume is deleted).
 *
 * @param volume the volume name
 * @param operation the operation (volume-create, volume-start, ...)
 * @param state the state the failure left the volume in (CreateFailed: the volume does not exist)
 * @param txnId the transaction's id (for the logs: every line carries it as {@code txnid})
 * @param code the error code
 * @param message what went wrong
 * @param remedy what to do
 * @param nodes per node: the step, the error and what to do about it
 * @param timeMillis when it failed (epoch milliseconds)
 */
public record FailureReport(String volume, String operation, VolumeState state, String txnId, ErrorCode code, String message,
                            String remedy, List<NodeError> nodes, long timeMillis) {
    public FailureReport {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        remedy = remedy == null ? "" : remedy;
    }
}
