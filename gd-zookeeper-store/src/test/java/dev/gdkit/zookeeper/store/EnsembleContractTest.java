package dev.gdkit.zookeeper.store;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The ClusterStore contract on a three-server ensemble of embedded servers in this JVM. Clients
 * connect to any member, so one client's reads may lag another's writes: the suite expects no more
 * of other clients' views, as the contract allows. The outage stops two of three members (quorum
 * lost), waits until the third stops serving, and starts them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnsembleContractTest extends ZooKeeperContractTestBase {
    private EnsembleFixture ensemble;

    @BeforeAll
    void startEnsemble() {
        ensemble = new EnsembleFixture(3).start();
    }

    @AfterAll
    void stopEnsemble() {
        ensemble.close();
    }

    @Override
    protected String connectString() {
        return ensemble.connectString();
    }

    @Override
    protected Duration operationTimeout() {
        return Duration.ofSeconds(3);
    }

    @Override
    protected void stopServers() {
        ensemble.servers().get(0).close();
        ensemble.servers().get(1).close();
        // the survivor serves until it notices the quorum is gone (a few ticks)
        await("the surviving member stops serving", () -> ensemble.servers().get(2).mode().isEmpty());
    }

    @Override
    protected void startServers() {
        CompletableFuture<?> a = CompletableFuture.runAsync(() -> ensemble.servers().get(0).start());
        CompletableFuture<?> b = CompletableFuture.runAsync(() -> ensemble.servers().get(1).start());
        a.join();
        b.join();
    }
}
