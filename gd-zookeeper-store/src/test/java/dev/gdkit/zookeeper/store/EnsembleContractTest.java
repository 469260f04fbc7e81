package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.testkit.contract.ClusterStoreContract;
import dev.gdkit.testkit.contract.ClusterStoreOutage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The ClusterStore contract on a three-server ensemble of embedded servers in this JVM. Clients
 * connect to any member, so reads of one client may lag another's writes: the suite only expects
 * that of other clients' views, as the contract allows. The outage stops two of three members
 * (quorum lost), waits until the third stops serving, and starts them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnsembleContractTest extends ClusterStoreContract {
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
    protected ClusterStore newStore(String namespace) {
        return ZooKeeperClusterStore.builder()
                .connectString(ensemble.connectString())
                .namespace(namespace)
                .sessionTimeout(Duration.ofSeconds(10))
                .operationTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Override
    protected boolean expireSession(ClusterStore store) {
        return ZkTesting.expireSession(store, ensemble.connectString());
    }

    @Override
    protected Optional<ClusterStoreOutage> outage() {
        return Optional.of(new ClusterStoreOutage() {
            @Override
            public void begin() {
                ensemble.servers().get(0).close();
                ensemble.servers().get(1).close();
                // the survivor serves until it notices the quorum is gone (a few ticks)
                await("the surviving member stops serving", () -> ensemble.servers().get(2).mode().isEmpty());
            }

            @Override
            public void end() {
                java.util.concurrent.CompletableFuture<?> a = java.util.concurrent.CompletableFuture.runAsync(() -> ensemble.servers().get(0).start());
                java.util.concurrent.CompletableFuture<?> b = java.util.concurrent.CompletableFuture.runAsync(() -> ensemble.servers().get(1).start());
                a.join();
                b.join();
            }
        });
    }
}
