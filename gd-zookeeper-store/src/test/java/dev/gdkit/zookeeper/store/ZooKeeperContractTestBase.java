package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.testkit.contract.ClusterStoreContract;
import dev.gdkit.testkit.contract.ClusterStoreOutage;
import java.time.Duration;
import java.util.Optional;

/** The ClusterStore contract on some ZooKeeper deployment: subclasses say where it is and how to stop it. */
abstract class ZooKeeperContractTestBase extends ClusterStoreContract {
    /** The deployment's connect string. */
    protected abstract String connectString();

    /** Makes the deployment unreachable (stop servers, lose quorum). */
    protected abstract void stopServers();

    /** Brings it back with its data. */
    protected abstract void startServers();

    protected Duration operationTimeout() {
        return Duration.ofSeconds(2);
    }

    @Override
    protected ClusterStore newStore(String namespace) {
        return ZooKeeperClusterStore.builder()
                .connectString(connectString())
                .namespace(namespace)
                .sessionTimeout(Duration.ofSeconds(10))
                .operationTimeout(operationTimeout())
                .build();
    }

    @Override
    protected boolean expireSession(ClusterStore store) {
        return ZkTesting.expireSession(store, connectString());
    }

    @Override
    protected Optional<ClusterStoreOutage> outage() {
        return Optional.of(new ClusterStoreOutage() {
            @Override
            public void begin() {
                stopServers();
            }

            @Override
            public void end() {
                startServers();
            }
        });
    }
}
