package dev.gdkit.grpc.security;

import java.time.Instant;
import java.util.Objects;

/** A freshly issued join token and when it expires. */
public record IssuedToken(JoinToken token, Instant expiresAt) {
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
