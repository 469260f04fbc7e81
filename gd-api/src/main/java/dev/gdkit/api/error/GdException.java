package dev.gdkit.api.error;

import java.util.List;
import java.util.Objects;

/**
 * The one exception type of gd-kit: a stable {@link ErrorCode}, a message that says what is
 * wrong, a remedy that says what to do, and per-node details when several nodes took part.
 */
public class GdException extends RuntimeException {
    private final ErrorCode code;
    private final String remedy;
    private final List<NodeError> nodeErrors;

    public GdException(ErrorCode code, String message) {
        this(code, message, "", List.of(), null);
    }

    public GdException(ErrorCode code, String message, String remedy) {
        this(code, message, remedy, List.of(), null);
    }

    public GdException(ErrorCode code, String message, String remedy, List<NodeError> nodeErrors, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.remedy = remedy == null ? "" : remedy;
        this.nodeErrors = List.copyOf(nodeErrors);
    }

    public ErrorCode code() {
        return code;
    }

    /** What the caller can do about it; empty when there is nothing specific. */
    public String remedy() {
        return remedy;
    }

    /** Per-node outcomes for multi-node operations; empty otherwise. */
    public List<NodeError> nodeErrors() {
        return nodeErrors;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /** Shorthand for an {@link ErrorCode#INVALID_ARGUMENT} error. */
    public static GdException invalid(String message, String remedy) {
        return new GdException(ErrorCode.INVALID_ARGUMENT, message, remedy);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(code.name()).append(": ").append(getMessage());
        if (!remedy.isEmpty()) {
            sb.append(" Remedy: ").append(remedy);
        }
        for (NodeError e : nodeErrors) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }
}
