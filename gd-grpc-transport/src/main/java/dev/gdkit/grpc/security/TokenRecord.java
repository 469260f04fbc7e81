package dev.gdkit.grpc.security;

import dev.gdkit.api.model.NodeId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A join token as the cluster stores it: never the secret itself, only its SHA-256.
 *
 * @param id the token's id
 * @param secretSha256 hex SHA-256 of the secret
 * @param issuedBy the member that issued it
 * @param issuedAt when
 * @param expiresAt when it stops being accepted
 * @param usedBy the node that used it; empty while unused
 * @param usedAt when it was used; {@code null} while unused
 */
public record TokenRecord(String id, String secretSha256, NodeId issuedBy, Instant issuedAt, Instant expiresAt,
                          String usedBy, Instant usedAt) {
    public TokenRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(secretSha256, "secretSha256");
        Objects.requireNonNull(issuedBy, "issuedBy");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        usedBy = usedBy == null ? "" : usedBy;
    }

    public boolean used() {
        return usedAt != null;
    }

    public Optional<Instant> usedWhen() {
        return Optional.ofNullable(usedAt);
    }

    /** This record marked as used by {@code node} at {@code when}. */
    public TokenRecord usedBy(NodeId node, Instant when) {
        return new TokenRecord(id, secretSha256, issuedBy, issuedAt, expiresAt, node.value(), when);
    }
}
