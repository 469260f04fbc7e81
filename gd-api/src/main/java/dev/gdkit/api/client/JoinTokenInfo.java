package dev.gdkit.api.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A one-time join token as handed to an operator: give {@code token} to the new node; it is
 * refused after {@code expiresAt} or after one use.
 */
public record JoinTokenInfo(String token, Instant expiresAt) {
    public JoinTokenInfo {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "JoinTokenInfo[token=<redacted>, expiresAt=" + expiresAt + "]";
    }
}
