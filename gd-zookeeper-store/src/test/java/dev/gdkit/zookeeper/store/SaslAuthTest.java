package dev.gdkit.zookeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SASL DIGEST-MD5 against a real ZooKeeper server (embedded in this JVM, with the SASL provider
 * and a JAAS Server section): each cluster's user owns its namespace, another user cannot open or
 * read it, a wrong password is refused at once with a clear error.
 */
class SaslAuthTest {
    private static final String PROVIDER_KEY = "zookeeper.authProvider.sasl";
    private Path dir;
    private EmbeddedZooKeeperServer server;

    @BeforeEach
    void start() {
        dir = ZkTesting.tempDir("gd-zk-sasl");
        SaslLogins.putServer("Server", Map.of("alice", "secret-a", "bob", "secret-b"));
        System.setProperty(PROVIDER_KEY, "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
        ProviderRegistry.addOrUpdateProvider(PROVIDER_KEY);
        server = EmbeddedZooKeeperServer.builder().baseDir(dir).clientPort(0).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        SaslLogins.remove("Server");
        System.clearProperty(PROVIDER_KEY);
        ProviderRegistry.removeProvider("sasl");
        ZkTesting.delete(dir);
    }

    private ZooKeeperClusterStore store(String ns, String user, String password) {
        return ZooKeeperClusterStore.builder().connectString(server.connectString()).namespace(ns).saslDigest(user, password)
                .operationTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void eachUserOwnsItsNamespaceAndNoOneElseGetsIn() throws Exception {
        try (ZooKeeperClusterStore alice = store("cluster-a", "alice", "secret-a");
             ZooKeeperClusterStore bob = store("cluster-b", "bob", "secret-b")) {
            ZkTesting.eachWritesItsOwn(alice, bob);

            // the znodes belong to sasl:alice only
            java.util.List<ACL> acl = alice.curator().getACL().forPath("/kv/volumes/v1");
            assertThat(acl).hasSize(1);
            assertThat(acl.get(0).getId().getScheme()).isEqualTo("sasl");
            assertThat(acl.get(0).getId().getId()).isEqualTo("alice");

            // bob cannot read alice's keys, nor open her namespace
            Throwable read = catchThrowable(() -> bob.curator().usingNamespace("gdkit/cluster-a").getData().forPath("/kv/volumes/v1"));
            assertThat(read).isInstanceOf(KeeperException.NoAuthException.class);
            Throwable open = catchThrowable(() -> store("cluster-a", "bob", "secret-b").close());
            assertThat(open).isInstanceOf(ZooKeeperAccessDeniedException.class).hasMessageContaining("cluster-a");
        }
    }

    @Test
    void aWrongPasswordIsRefusedClearly() {
        long t0 = System.nanoTime();
        Throwable t = catchThrowable(() -> store("cluster-a", "alice", "guess").close());
        assertThat(t).isInstanceOf(ZooKeeperAccessDeniedException.class).hasMessageContaining("SASL login of user 'alice'");
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void badSaslSettingsAreRefused() {
        Throwable both = catchThrowable(() -> ZooKeeperClusterStore.builder().connectString("127.0.0.1:1").namespace("n")
                .digestAuth("a", "b").saslDigest("a", "b").settings());
        assertThat(both).hasMessageContaining("both digest and SASL");
        Throwable empty = catchThrowable(() -> ZooKeeperClusterStore.builder().connectString("127.0.0.1:1").namespace("n")
                .saslDigest("a", "").settings());
        assertThat(empty).hasMessageContaining("SASL password");
        assertThat(((GdException) empty).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
