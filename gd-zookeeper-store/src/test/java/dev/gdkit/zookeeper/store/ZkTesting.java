package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.ClusterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Test helpers for ZooKeeper-backed stores. */
public final class ZkTesting {
    private ZkTesting() {
    }

    /**
     * Expires {@code store}'s session on the server: a second handle joins the same session and
     * closes it, which is what the server does when it stops hearing from a client.
     */
    public static boolean expireSession(ClusterStore store, String connectString) {
        ZooKeeperClusterStore zs = (ZooKeeperClusterStore) store;
        try {
            ZooKeeper zk = zs.curator().getZookeeperClient().getZooKeeper();
            long id = zk.getSessionId();
            byte[] password = zk.getSessionPasswd();
            CountDownLatch connected = new CountDownLatch(1);
            ZooKeeper twin = new ZooKeeper(connectString, 10_000, e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }, id, password);
            try {
                if (!connected.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("could not join session 0x" + Long.toHexString(id) + " to expire it");
                }
            } finally {
                twin.close();
            }
            return true;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("expiring the session failed: " + e, e);
        }
    }

    /** Two clusters' clients each write the same key in their own namespace and read back their own value. */
    public static void eachWritesItsOwn(ClusterStore a, ClusterStore b) {
        a.put("volumes/v1", "a's volume");
        b.put("volumes/v1", "b's volume");
        org.assertj.core.api.Assertions.assertThat(a.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("a's volume");
        org.assertj.core.api.Assertions.assertThat(b.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("b's volume");
    }

    /** A new temporary directory. */
    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree; absent is fine. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
