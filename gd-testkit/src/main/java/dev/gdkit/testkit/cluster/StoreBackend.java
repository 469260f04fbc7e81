package dev.gdkit.testkit.cluster;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Versioned;
import java.util.NavigableMap;

/**
 * The cluster store a {@link SimulatedCluster} runs on, with the faults the testkit injects into
 * it. {@link InMemoryBackend} is the default; a ZooKeeper backend lives with the ZooKeeper store's
 * tests. Implementations are thread-safe.
 */
public interface StoreBackend extends AutoCloseable {
    /** A new client of namespace {@code namespace}, with its own session. */
    ClusterStore connect(String namespace);

    /** Every key of the namespace with its value, read directly (for invariant checks). */
    NavigableMap<String, Versioned> snapshot(String namespace);

    /** Ends the client's session now (its ephemeral keys and locks go). */
    void expire(ClusterStore client);

    /** Makes the store unreachable for everyone (true) or brings it back (false). */
    void outage(boolean down);

    /** Cuts one client off the store (its session expires after the session timeout) or reconnects it. */
    void isolate(ClusterStore client, boolean isolated);

    @Override
    void close();
}
