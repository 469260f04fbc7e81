package dev.gdkit.zookeeper.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The ClusterStore contract on an external ZooKeeper server: Debian's {@code zookeeper} package
 * (3.8 on Debian 12) started as its own process; the outage kills it. Skipped, with the reason,
 * when the package is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalServerContractTest extends ZooKeeperContractTestBase {
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
    protected String connectString() {
        return server.connectString();
    }

    @Override
    protected void stopServers() {
        server.stop();
    }

    @Override
    protected void startServers() {
        server.start();
    }
}
