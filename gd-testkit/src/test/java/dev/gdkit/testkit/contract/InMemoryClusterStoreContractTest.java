package dev.gdkit.testkit.contract;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.memory.InMemoryStoreServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/** The ClusterStore contract on the in-memory store: one server, a client per {@link #newStore}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InMemoryClusterStoreContractTest extends ClusterStoreContract {
    private final InMemoryStoreServer server = InMemoryStoreServer.builder()
            .operationTimeout(Duration.ofMillis(500))
            .sessionTimeout(Duration.ofSeconds(4))
            .build();

    @Override
    protected ClusterStore newStore(String namespace) {
        return server.connect(namespace);
    }

    @Override
    protected boolean expireSession(ClusterStore store) {
        server.expire(store);
        return true;
    }

    @Override
    protected Optional<ClusterStoreOutage> outage() {
        return Optional.of(new ClusterStoreOutage() {
            @Override
            public void begin() {
                server.setAvailable(false);
            }

            @Override
            public void end() {
                server.setAvailable(true);
            }
        });
    }

    @AfterAll
    void stopServer() {
        server.close();
    }
}
