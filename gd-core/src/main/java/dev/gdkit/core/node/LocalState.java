package dev.gdkit.core.node;

import java.util.Optional;

/**
 * A node's own small, durable state (what GlusterFS keeps in glusterd.info): its current
 * op-version and the like. Writes are durable when {@link #put} returns. Thread-safe.
 */
public interface LocalState {
    Optional<String> get(String key);

    void put(String key, String value);
}
