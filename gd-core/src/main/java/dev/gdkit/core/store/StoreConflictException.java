package dev.gdkit.core.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;

/**
 * A commit's condition did not hold: a key that must be absent exists, a key that must exist is
 * absent, a version differs, or a deleted key has children. Nothing of the commit was applied.
 */
public class StoreConflictException extends GdException {
    /** Why the condition failed. */
    public enum Reason { EXISTS, MISSING, VERSION, NOT_EMPTY }

    private final String key;
    private final Reason reason;

    public StoreConflictException(String key, Reason reason, String detail) {
        super(ErrorCode.STORE_CONFLICT, "store conflict on '" + key + "': " + detail,
                "read the key again and retry with its current version");
        this.key = key;
        this.reason = reason;
    }

    /** The key whose condition failed. */
    public String key() {
        return key;
    }

    public Reason reason() {
        return reason;
    }
}
