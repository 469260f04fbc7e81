package dev.gdkit.zookeeper.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.testkit.cluster.StoreBackend;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A {@link StoreBackend} on one embedded ZooKeeper server, so whole simulated clusters run on the
 * real store: crash (client closed), session expiry and outage (the server stopped) are real.
 */
final class ZooKeeperBackend implements StoreBackend {
    private final Path dir = ZkTesting.tempDir("gd-zk-sim");
    private final EmbeddedZooKeeperServer server;

    ZooKeeperBackend() {
        server = EmbeddedZooKeeperServer.builder().baseDir(dir.resolve("zk")).tickTime(Duration.ofMillis(500)).build().start();
    }

    @Override
    public ClusterStore connect(String namespace) {
        return ZooKeeperClusterStore.builder().connectString(server.connectString()).namespace(namespace)
                .sessionTimeout(Duration.ofSeconds(4)).operationTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public NavigableMap<String, Versioned> snapshot(String namespace) {
        NavigableMap<String, Versioned> out = new TreeMap<>();
        try (ZooKeeperClusterStore s = (ZooKeeperClusterStore) connect(namespace)) {
            Deque<String> pending = new ArrayDeque<>(s.curator().getChildren().forPath(ZkLayout.KV));
            while (!pending.isEmpty()) {
                String key = pending.pop();
                s.get(key).ifPresent(v -> out.put(key, v));
                for (Versioned child : s.children(key)) {
                    pending.push(child.key());
                }
            }
        } catch (GdException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read namespace " + namespace + ": " + e, e);
        }
        return out;
    }

    @Override
    public void expire(ClusterStore client) {
        ZkTesting.expireSession(client, server.connectString());
    }

    @Override
    public void outage(boolean down) {
        if (down) {
            server.close();
        } else {
            server.start();
        }
    }

    @Override
    public void isolate(ClusterStore client, boolean isolated) {
        throw new GdException(ErrorCode.FAILED_PRECONDITION, "isolating one client is not supported on the ZooKeeper backend",
                "use expire() to end its session, or the in-memory backend");
    }

    @Override
    public void close() {
        server.close();
        ZkTesting.delete(dir);
    }
}
