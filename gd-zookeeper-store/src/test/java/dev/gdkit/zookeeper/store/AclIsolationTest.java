package dev.gdkit.zookeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * External mode with digest authentication: one cluster's credentials can neither read nor write
 * another cluster's namespace. Runs against the embedded server, and against Debian's ZooKeeper
 * when it is installed.
 */
abstract class AclIsolationTest {
    protected abstract String connectString();

    private ZooKeeperClusterStore store(String ns, String user, String password) {
        return ZooKeeperClusterStore.builder().connectString(connectString()).namespace(ns)
                .digestAuth(user, password).operationTimeout(Duration.ofSeconds(2)).build();
    }

    private ZooKeeper raw(String authUserPassword) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        assertThat(up.await(20, TimeUnit.SECONDS)).isTrue();
        if (authUserPassword != null) {
            zk.addAuthInfo("digest", authUserPassword.getBytes(StandardCharsets.UTF_8));
        }
        return zk;
    }

    @Test
    void anotherClustersCredentialsCannotReadOrWriteTheNamespace() throws Exception {
        try (ZooKeeperClusterStore alice = store("cluster-a", "alice", "secret-a");
             ZooKeeperClusterStore bob = store("cluster-b", "bob", "secret-b")) {
            ZkTesting.eachWritesItsOwn(alice, bob);

            // a store client for a's namespace with b's credentials is refused, clearly
            Throwable t = catchThrowable(() -> store("cluster-a", "bob", "secret-b"));
            assertThat(t).isInstanceOf(ZooKeeperAccessDeniedException.class).hasMessageContaining("cluster-a");
            assertThat(((ZooKeeperAccessDeniedException) t).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            // so is the right user with a wrong password
            assertThat(catchThrowable(() -> store("cluster-a", "alice", "guess"))).isInstanceOf(ZooKeeperAccessDeniedException.class);

            String path = "/gdkit/cluster-a/kv/volumes/v1";
            for (String creds : new String[] {"bob:secret-b", null}) {
                ZooKeeper zk = raw(creds);
                try {
                    assertThat(catchThrowable(() -> zk.getData(path, false, new Stat())))
                            .as("read with %s", creds).isInstanceOf(KeeperException.NoAuthException.class);
                    assertThat(catchThrowable(() -> zk.setData(path, new byte[] {1}, -1)))
                            .as("write with %s", creds).isInstanceOf(KeeperException.NoAuthException.class);
                    assertThat(catchThrowable(() -> zk.delete(path, -1)))
                            .as("delete with %s", creds).isInstanceOf(KeeperException.NoAuthException.class);
                    assertThat(catchThrowable(() -> zk.create("/gdkit/cluster-a/kv/volumes/intruder", new byte[0],
                            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)))
                            .as("create with %s", creds).isInstanceOf(KeeperException.NoAuthException.class);
                    assertThat(catchThrowable(() -> zk.getChildren("/gdkit/cluster-a/kv", false)))
                            .as("list with %s", creds).isInstanceOf(KeeperException.NoAuthException.class);
                    assertThat(catchThrowable(() -> zk.setACL("/gdkit/cluster-a", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1)))
                            .as("re-ACL with %s", creds).isInstanceOf(KeeperException.NoAuthException.class);
                    assertThat(catchThrowable(() -> zk.getChildren("/gdkit", false)))
                            .as("the shared root does not list clusters").isInstanceOf(KeeperException.NoAuthException.class);
                } finally {
                    zk.close();
                }
            }
            // a's znodes carry a's digest, and a still works after all that
            ZooKeeper zk = raw("alice:secret-a");
            try {
                List<ACL> acl = zk.getACL(path, new Stat());
                assertThat(acl).hasSize(1);
                assertThat(acl.get(0).getId().getScheme()).isEqualTo("digest");
                assertThat(acl.get(0).getId().getId()).startsWith("alice:");
                assertThat(acl.get(0).getPerms()).isEqualTo(ZooDefs.Perms.ALL);
            } finally {
                zk.close();
            }
            assertThat(alice.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("a's volume");
            assertThat(alice.children("volumes")).hasSize(1);
        }
    }

    /** On the embedded server. */
    static class Embedded extends AclIsolationTest {
        private final Path dir = ZkTesting.tempDir("gd-zk-acl");
        private EmbeddedZooKeeperServer server;

        @BeforeEach
        void start() {
            server = EmbeddedZooKeeperServer.builder().baseDir(dir).build().start();
        }

        @AfterEach
        void stop() {
            server.close();
            ZkTesting.delete(dir);
        }

        @Override
        protected String connectString() {
            return server.connectString();
        }
    }

    /** On Debian's ZooKeeper; skipped when the package is absent. */
    static class Debian extends AclIsolationTest {
        private DebianZooKeeperServer server;

        @BeforeEach
        void start() {
            server = DebianZooKeeperServer.startOrSkip("the ACL isolation test on an external server");
        }

        @AfterEach
        void stop() {
            if (server != null) {
                server.close();
            }
        }

        @Override
        protected String connectString() {
            return server.connectString();
        }
    }
}
