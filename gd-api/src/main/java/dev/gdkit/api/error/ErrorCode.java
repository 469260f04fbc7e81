package dev.gdkit.api.error;

/**
 * Stable error codes. The numeric value and the name never change once released; new codes are
 * only appended. {@link #httpStatus()} is the status the REST API answers with.
 */
public enum ErrorCode {
    /** A request field or argument is invalid; nothing was changed. */
    INVALID_ARGUMENT(1001, 400, false),
    /** The named object does not exist. */
    NOT_FOUND(1002, 404, false),
    /** An object with that name or identity already exists. */
    ALREADY_EXISTS(1003, 409, false),
    /** The object is in a state that does not allow the operation (for example, started). */
    FAILED_PRECONDITION(1004, 409, false),
    /** Another transaction held a needed lock longer than the bounded wait. */
    LOCK_TIMEOUT(1101, 409, true),
    /** A transaction was refused before any step ran (bad step list, node, op-version). */
    TRANSACTION_INVALID(1102, 400, false),
    /** A step failed on at least one node; every completed step was undone. */
    STEP_FAILED(1103, 500, false),
    /** A node does not have the named step registered. */
    STEP_UNKNOWN(1104, 400, false),
    /** A transaction lost its coordinator and was finished or undone by recovery. */
    TRANSACTION_ABORTED(1105, 500, true),
    /** The undo of a step could not run everywhere; the named node still owes it. */
    UNDO_PENDING(1106, 500, false),
    /** The cluster or a node runs an op-version too low for the feature. */
    OP_VERSION_TOO_LOW(1201, 409, false),
    /** A peer's supported op-version range does not fit the cluster. */
    OP_VERSION_INCOMPATIBLE(1202, 409, false),
    /** The named node is not a member of the cluster. */
    NODE_NOT_IN_CLUSTER(1301, 400, false),
    /** The node could not be reached (network, crash, deadline). */
    NODE_UNREACHABLE(1302, 503, true),
    /** A join was refused: bad token, certificate, protocol or version. */
    JOIN_REFUSED(1303, 403, false),
    /**
     * A joining node speaks a node-to-node protocol the cluster does not (yet) speak; it may retry
     * once the cluster has been upgraded.
     */
    PROTOCOL_UNSUPPORTED(1304, 409, true),
    /** The cluster store cannot be reached right now; the operation changed nothing. */
    STORE_UNAVAILABLE(1401, 503, true),
    /** A compare-and-set or multi-key commit found a different version than expected. */
    STORE_CONFLICT(1402, 409, true),
    /** A store key or value broke a rule of the store (size, name, non-empty parent). */
    STORE_INVALID(1403, 400, false),
    /** A managed process could not be started or stopped. */
    DAEMON_FAILED(1501, 500, false),
    /** An unexpected internal error; the message says what happened. */
    INTERNAL(1999, 500, false);

    private final int number;
    private final int httpStatus;
    private final boolean retryable;

    ErrorCode(int number, int httpStatus, boolean retryable) {
        this.number = number;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    /** The stable numeric code. */
    public int number() {
        return number;
    }

    /** The HTTP status the REST API maps this code to. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether the same request may succeed if simply tried again later. */
    public boolean retryable() {
        return retryable;
    }

    /** Looks a code up by its number; {@link #INTERNAL} when unknown. */
    public static ErrorCode ofNumber(int number) {
        for (ErrorCode c : values()) {
            if (c.number == number) {
                return c;
            }
        }
        return INTERNAL;
    }
}
