package dev.gdkit.examples.gdd;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.grpc.security.SecurityStore;
import dev.gdkit.grpc.security.StoredCa;
import dev.gdkit.grpc.security.TokenRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The grpc module's {@link SecurityStore} on the pool's {@link ClusterStore}, so that every member
 * can issue join tokens and admit nodes: the CA under {@code gdd/security/ca}, one key per token
 * under {@code gdd/security/tokens/<id>}; {@link #replaceToken} is a compare-and-set on the key's
 * version. The store is protected by ZooKeeper digest ACLs (only the pool's members hold the credentials).
 */
final class StoreSecurityStore implements SecurityStore {
    private static final String CA = "gdd/security/ca";
    private static final String TOKENS = "gdd/security/tokens";

    /** JSON form of a CA record (the core JSON mapper has no java.time support, hence strings for instants below). */
    record CaJson(@JsonProperty("cluster-id") String clusterId, @JsonProperty("certificate") String certificatePem,
                  @JsonProperty("key") String keyPem) {
    }

    /** JSON form of a token record. */
    record TokenJson(@JsonProperty("id") String id, @JsonProperty("secret-sha256") String secretSha256,
                     @JsonProperty("issued-by") String issuedBy, @JsonProperty("issued-at") String issuedAt,
                     @JsonProperty("expires-at") String expiresAt, @JsonProperty("used-by") String usedBy,
                     @JsonProperty("used-at") String usedAt) {
        static TokenJson of(TokenRecord t) {
            return new TokenJson(t.id(), t.secretSha256(), t.issuedBy().value(), t.issuedAt().toString(), t.expiresAt().toString(),
                    t.usedBy(), t.usedWhen().map(Instant::toString).orElse(""));
        }

        TokenRecord record() {
            return new TokenRecord(id, secretSha256, NodeId.of(issuedBy), Instant.parse(issuedAt), Instant.parse(expiresAt), usedBy,
                    usedAt == null || usedAt.isEmpty() ? null : Instant.parse(usedAt));
        }
    }

    private final ClusterStore store;

    StoreSecurityStore(ClusterStore store) {
        this.store = store;
    }

    @Override
    public Optional<StoredCa> ca() {
        return store.get(CA).map(v -> Json.read(v.value(), CaJson.class)).map(c -> new StoredCa(c.clusterId(), c.certificatePem(), c.keyPem()));
    }

    @Override
    public boolean createCa(StoredCa ca) {
        try {
            store.commit(List.of(StoreOp.create(CA, Json.write(new CaJson(ca.clusterId(), ca.certificatePem(), ca.privateKeyPem())))));
            return true;
        } catch (StoreConflictException e) {
            return false;
        }
    }

    private static String key(String id) {
        return TOKENS + "/" + id;
    }

    @Override
    public void addToken(TokenRecord token) {
        try {
            store.commit(List.of(StoreOp.create(key(token.id()), Json.write(TokenJson.of(token)))));
        } catch (StoreConflictException e) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "join token " + token.id() + " already exists", "issue another token");
        }
    }

    @Override
    public Optional<TokenRecord> token(String id) {
        return store.get(key(id)).map(v -> Json.read(v.value(), TokenJson.class).record());
    }

    @Override
    public boolean replaceToken(TokenRecord expected, TokenRecord replacement) {
        Optional<Versioned> current = store.get(key(expected.id()));
        if (current.isEmpty() || !Json.read(current.get().value(), TokenJson.class).record().equals(expected)) {
            return false;
        }
        try {
            store.commit(List.of(StoreOp.update(key(expected.id()), Json.write(TokenJson.of(replacement)), current.get().version())));
            return true;
        } catch (StoreConflictException e) {
            return false;
        }
    }

    @Override
    public List<TokenRecord> tokens() {
        return store.children(TOKENS).stream().map(v -> Json.read(v.value(), TokenJson.class).record()).toList();
    }

    @Override
    public boolean removeToken(String id) {
        if (store.get(key(id)).isEmpty()) {
            return false;
        }
        store.deleteTree(key(id));
        return true;
    }
}
