package dev.gdkit.zookeeper.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the ZooKeeper store does beyond the shared contract: layout, configuration and its errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZooKeeperClusterStoreTest {
    private final Path dir = ZkTesting.tempDir("gd-zk-store");
    private EmbeddedZooKeeperServer server;

    @BeforeAll
    void start() {
        server = EmbeddedZooKeeperServer.builder().baseDir(dir).build().start();
    }

    @AfterAll
    void stop() {
        server.close();
        ZkTesting.delete(dir);
    }

    private ZooKeeperClusterStore open(String ns) {
        return ZooKeeperClusterStore.builder().connectString(server.connectString()).namespace(ns)
                .operationTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void eachKeyIsOneZnodeUnderTheClustersNamespace() throws Exception {
        try (ZooKeeperClusterStore s = open("layout")) {
            s.put("volumes/v1", "info");
            byte[] raw = s.curator().getZookeeperClient().getZooKeeper().getData("/gdkit/layout/kv/volumes/v1", false, new Stat());
            assertThat(new String(raw, StandardCharsets.UTF_8)).isEqualTo("info");
            assertThat(s.curator().getChildren().forPath("/")).containsExactlyInAnyOrder("kv", "locks", "elections");
            assertThat(s.settings().namespace()).isEqualTo("layout");
            assertThat(s.toString()).contains("layout");
        }
    }

    @Test
    void aParentRememberedAsExistingButDeletedByAnotherNodeIsMadeAgain() {
        try (ZooKeeperClusterStore a = open("parents"); ZooKeeperClusterStore b = open("parents")) {
            a.put("volumes/v1/bricks/b1", "x");
            // a now skips reading volumes/v1/bricks before creating under it; b removes the whole tree
            b.deleteTree("volumes");
            a.commit(java.util.List.of(dev.gdkit.core.store.StoreOp.create("volumes/v1/bricks/b2", "y".getBytes(StandardCharsets.UTF_8))));
            assertThat(b.get("volumes/v1/bricks/b2")).hasValueSatisfying(v -> assertThat(v.valueAsString()).isEqualTo("y"));
            assertThat(b.get("volumes/v1/bricks/b1")).isEmpty();
            a.put("volumes/v1/bricks/b3", "z");
            assertThat(b.children("volumes/v1/bricks")).extracting(dev.gdkit.core.store.Versioned::key)
                    .containsExactlyInAnyOrder("volumes/v1/bricks/b2", "volumes/v1/bricks/b3");
        }
    }

    @Test
    void anAbsenceCheckUnderARememberedParentStillSeesTheKeyAndAParentDeletedMeanwhile() {
        try (ZooKeeperClusterStore a = open("probes"); ZooKeeperClusterStore b = open("probes")) {
            java.util.List<dev.gdkit.core.store.StoreOp> guarded = java.util.List.of(
                    dev.gdkit.core.store.StoreOp.checkAbsent("locks/volume:v"), dev.gdkit.core.store.StoreOp.put("volumes/v", "1"));
            a.commit(guarded);
            a.commit(guarded); // "locks" is now remembered: the check reads nothing first
            b.put("locks/volume:v", "txn");
            assertThatThrownBy(() -> a.commit(guarded)).isInstanceOfSatisfying(dev.gdkit.core.store.StoreConflictException.class,
                    e -> assertThat(e.key()).isEqualTo("locks/volume:v"));
            b.deleteTree("locks");
            // the remembered parent is gone: the probe's create fails, the plan is made again and applies
            a.commit(java.util.List.of(dev.gdkit.core.store.StoreOp.checkAbsent("locks/volume:v"), dev.gdkit.core.store.StoreOp.put("volumes/v", "2")));
            assertThat(b.get("volumes/v").orElseThrow().valueAsString()).isEqualTo("2");
            assertThat(b.get("locks/volume:v")).isEmpty();
        }
    }

    @Test
    void rootIsConfigurable() throws Exception {
        try (ZooKeeperClusterStore s = ZooKeeperClusterStore.builder().connectString(server.connectString()).namespace("c")
                .root("product-x").build()) {
            s.put("k", "v");
            assertThat(s.curator().getZookeeperClient().getZooKeeper().exists("/product-x/c/kv/k", false)).isNotNull();
        }
    }

    @Test
    void anEphemeralKeyCannotHaveChildren() {
        try (ZooKeeperClusterStore s = open("eph")) {
            s.session().createEphemeral("alive/n1", "x".getBytes(StandardCharsets.UTF_8));
            Throwable t = catchThrowable(() -> s.put("alive/n1/child", "y"));
            assertThat(t).isInstanceOf(GdException.class).hasMessageContaining("alive/n1").hasMessageContaining("ephemeral");
            assertThat(((GdException) t).code()).isEqualTo(ErrorCode.STORE_INVALID);
            // an absent key below an ephemeral one is absent: checkAbsent passes
            s.commit(List.of(StoreOp.checkAbsent("alive/n1/child"), StoreOp.put("ok", "1")));
            assertThat(s.get("ok")).isPresent();
        }
    }

    @Test
    void negativeVersionsAndWaitsAndEmptyIdsAreRefused() {
        try (ZooKeeperClusterStore s = open("bad")) {
            Throwable v = catchThrowable(() -> s.update("k", new byte[0], -2));
            assertThat(v).isInstanceOf(GdException.class).hasMessageContaining("-2").hasMessageContaining("'k'");
            Throwable d = catchThrowable(() -> s.commit(List.of(StoreOp.delete("k", -5))));
            assertThat(((GdException) d).code()).isEqualTo(ErrorCode.STORE_INVALID);
            Throwable w = catchThrowable(() -> s.session().tryLock("l", Duration.ofSeconds(-1)));
            assertThat(w).isInstanceOf(GdException.class).hasMessageContaining("lock wait");
            Throwable e = catchThrowable(() -> s.session().elect("e", " ", leader -> { }));
            assertThat(e).isInstanceOf(GdException.class).hasMessageContaining("participant id");
            Throwable n = catchThrowable(() -> s.commit(java.util.Arrays.asList(StoreOp.put("a", "b"), null)));
            assertThat(n).isInstanceOf(GdException.class).hasMessageContaining("operation 1 is null");
            assertThat(s.get("a")).isEmpty();
            assertThat(s.commit(List.of())).isEqualTo(-1);
        }
    }

    @Test
    void aCommitLargerThanOneZooKeeperRequestIsRefusedBeforeSending() {
        try (ZooKeeperClusterStore s = open("big")) {
            byte[] v = new byte[dev.gdkit.core.store.StoreKeys.MAX_VALUE_BYTES];
            Throwable t = catchThrowable(() -> s.commit(List.of(StoreOp.put("big/a", v), StoreOp.put("big/b", v))));
            assertThat(t).isInstanceOf(GdException.class).hasMessageContaining("big/a").hasMessageContaining("jute.maxbuffer");
            assertThat(((GdException) t).code()).isEqualTo(ErrorCode.STORE_INVALID);
            assertThat(s.get("big/a")).isEmpty();
            s.put("big/a", v);
            assertThat(s.get("big/a").orElseThrow().value()).hasSize(v.length);
        }
    }

    @Test
    void aClosedStoreSaysSo() {
        ZooKeeperClusterStore s = open("closed");
        s.close();
        Throwable t = catchThrowable(() -> s.get("k"));
        assertThat(t).isInstanceOf(GdException.class).hasMessageContaining("closed").hasMessageContaining("'closed'");
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(catchThrowable(() -> s.session().tryLock("l", Duration.ZERO))).isInstanceOf(GdException.class);
    }

    @Test
    void invalidSettingsAreRefusedNamingTheValue() {
        assertInvalid(ZooKeeperClusterStore.builder().namespace("c"), "connectString is missing");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("127.0.0.1").namespace("c"), "'127.0.0.1'");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1,h2:x").namespace("c"), "'h2:x'");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("a/b"), "namespace 'a/b'");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1"), "namespace 'null'");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("zookeeper"), "reserved");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("c").root(""), "root ''");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("c").sessionTimeout(Duration.ofMillis(5)),
                "sessionTimeout");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("c").operationTimeout(Duration.ZERO),
                "operationTimeout");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("c").digestAuth("a:b", "pw"), "'a:b'");
        assertInvalid(ZooKeeperClusterStore.builder().connectString("h:1").namespace("c").digestAuth("alice", ""), "alice");
        ZooKeeperClusterStore.Settings ok = ZooKeeperClusterStore.builder().connectString("h:1,h2:2").namespace("c")
                .digestAuth("alice", "secret").settings();
        assertThat(ok.toString()).contains("alice").doesNotContain("secret");
    }

    private static void assertInvalid(ZooKeeperClusterStore.Builder b, String mentions) {
        Throwable t = catchThrowable(b::settings);
        assertThat(t).isInstanceOf(GdException.class).hasMessageContaining(mentions);
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
