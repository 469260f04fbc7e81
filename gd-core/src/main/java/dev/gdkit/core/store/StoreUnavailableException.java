package dev.gdkit.core.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;

/**
 * The store could not be reached within the operation's bounded wait. A read did not happen; for a
 * commit the outcome is unknown only when {@link #outcomeUnknown()} says so (the request may have
 * reached the store before the connection broke): read back before retrying a non-idempotent commit.
 */
public class StoreUnavailableException extends GdException {
    private final boolean outcomeUnknown;

    public StoreUnavailableException(String message, boolean outcomeUnknown, Throwable cause) {
        super(ErrorCode.STORE_UNAVAILABLE, message,
                "check that the cluster store is running and reachable; the operation can be retried",
                java.util.List.of(), cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
