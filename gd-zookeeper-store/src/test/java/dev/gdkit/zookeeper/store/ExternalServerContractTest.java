package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.testkit.contract.ClusterStoreContract;
import dev.gdkit.testkit.contract.ClusterStoreOutage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The ClusterStore contract on an external ZooKeeper server: Debian's {@code zookeeper} package
 * (3.8 on Debian 12) started as its own process. Skipped, with the reason, when the package is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalServerContractTest extends ClusterStoreContract {
    private DebianZooKeeperServer server;

    @BeforeAll
    void startServer() {
        server = DebianZooKeeperServer.startOrSkip("the external-server contract tests");
        LoggerFactory.getLogger(getClass()).info("external ZooKeeper: {}", server.version());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
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
                server.stop();
            }

            @Override
            public void end() {
                server.start();
            }
        });
    }
}
