package dev.gdkit.testkit.cluster;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.store.memory.InMemoryStoreServer;
import java.util.NavigableMap;

/** A {@link StoreBackend} on the in-memory store server. */
public final class InMemoryBackend implements StoreBackend {
    private final InMemoryStoreServer server;

    public InMemoryBackend(InMemoryStoreServer server) {
        this.server = server;
    }

    public InMemoryStoreServer server() {
        return server;
    }

    @Override
    public ClusterStore connect(String namespace) {
        return server.connect(namespace);
    }

    @Override
    public NavigableMap<String, Versioned> snapshot(String namespace) {
        return server.snapshot(namespace);
    }

    @Override
    public void expire(ClusterStore client) {
        server.expire(client);
    }

    @Override
    public void outage(boolean down) {
        server.setAvailable(!down);
    }

    @Override
    public void isolate(ClusterStore client, boolean isolated) {
        server.isolate(client, isolated);
    }

    @Override
    public void close() {
        server.close();
    }
}
