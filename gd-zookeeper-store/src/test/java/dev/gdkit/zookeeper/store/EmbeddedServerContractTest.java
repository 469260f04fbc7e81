package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.testkit.contract.ClusterStoreContract;
import dev.gdkit.testkit.contract.ClusterStoreOutage;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The ClusterStore contract on one embedded ZooKeeper server (the one-node default). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedServerContractTest extends ClusterStoreContract {
    private final Path dir = ZkTesting.tempDir("gd-zk-contract");
    private EmbeddedZooKeeperServer server;

    @BeforeAll
    void startServer() {
        server = EmbeddedZooKeeperServer.builder().baseDir(dir.resolve("zk")).tickTime(Duration.ofMillis(1000)).build().start();
    }

    @AfterAll
    void stopServer() {
        server.close();
        ZkTesting.delete(dir);
    }

    @Override
    protected ClusterStore newStore(String namespace) {
        return ZooKeeperClusterStore.builder()
                .connectString(server.connectString())
                .namespace(namespace)
                .sessionTimeout(Duration.ofSeconds(10))
                .operationTimeout(Duration.ofSeconds(2))
                .build();
    }

    @Override
    protected boolean expireSession(ClusterStore store) {
        return ZkTesting.expireSession(store, server.connectString());
    }

    @Override
    protected Optional<ClusterStoreOutage> outage() {
        return Optional.of(new ClusterStoreOutage() {
            @Override
            public void begin() {
                server.close();
            }

            @Override
            public void end() {
                server.start();
            }
        });
    }
}
