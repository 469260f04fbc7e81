package dev.gdkit.grpc.security;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link SecurityStore} in memory: for one JVM (tests, a single-node cluster, simulated clusters). */
public final class InMemorySecurityStore implements SecurityStore {
    private final AtomicReference<StoredCa> ca = new AtomicReference<>();
    private final ConcurrentMap<String, TokenRecord> tokens = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredCa> ca() {
        return Optional.ofNullable(ca.get());
    }

    @Override
    public boolean createCa(StoredCa newCa) {
        return ca.compareAndSet(null, newCa);
    }

    @Override
    public void addToken(TokenRecord token) {
        if (tokens.putIfAbsent(token.id(), token) != null) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "a join token with id " + token.id() + " already exists",
                    "issue a new token");
        }
    }

    @Override
    public Optional<TokenRecord> token(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public boolean replaceToken(TokenRecord expected, TokenRecord replacement) {
        if (!expected.id().equals(replacement.id())) {
            throw GdException.invalid("cannot replace token " + expected.id() + " with token " + replacement.id(),
                    "a replacement keeps the token's id");
        }
        return tokens.replace(expected.id(), expected, replacement);
    }

    @Override
    public List<TokenRecord> tokens() {
        return List.copyOf(tokens.values());
    }

    @Override
    public boolean removeToken(String id) {
        return tokens.remove(id) != null;
    }
}
