package dev.gdkit.grpc.security;

import java.util.List;
import java.util.Optional;

/**
 * Where a cluster keeps its CA and its join tokens. Every member that admits new nodes must see the
 * same store (the engine backs it with the ClusterStore). Implementations are thread-safe and
 * linearizable per method: {@link #replaceToken} is a compare-and-set, which is what makes a token
 * usable once even when two joiners present it to two members at the same time.
 */
public interface SecurityStore {
    Optional<StoredCa> ca();

    /** Stores the CA unless one is already stored; returns whether it stored it. */
    boolean createCa(StoredCa ca);

    /** Adds a token; fails with ALREADY_EXISTS when the id is taken. */
    void addToken(TokenRecord token);

    Optional<TokenRecord> token(String id);

    /** Replaces {@code expected} with {@code replacement} if the stored record still equals {@code expected}. */
    boolean replaceToken(TokenRecord expected, TokenRecord replacement);

    /** Every stored token, in no particular order. */
    List<TokenRecord> tokens();

    /** Removes a token (for example once expired); false when none had that id. */
    boolean removeToken(String id);
}
