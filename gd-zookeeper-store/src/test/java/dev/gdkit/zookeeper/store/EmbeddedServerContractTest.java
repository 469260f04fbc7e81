package dev.gdkit.zookeeper.store;

import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The ClusterStore contract on one embedded ZooKeeper server (the one-node default); the outage stops it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedServerContractTest extends ZooKeeperContractTestBase {
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
    protected String connectString() {
        return server.connectString();
    }

    @Override
    protected void stopServers() {
        server.close();
    }

    @Override
    protected void startServers() {
        server.start();
    }
}
