package dev.gdkit.zookeeper.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperServerTest {
    @TempDir
    Path dir;

    private static ZooKeeperClusterStore connect(EmbeddedZooKeeperServer s) {
        return ZooKeeperClusterStore.builder().connectString(s.connectString()).namespace("c1")
                .operationTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void aStandaloneServerPicksAFreePortKeepsItsDataAcrossARestartAndHasNoAdminServer() throws Exception {
        EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().baseDir(dir).build();
        assertThat(server.clientPort()).isPositive();
        try (server) {
            server.start();
            assertThat(server.isRunning()).isTrue();
            assertThat(server.mode()).contains("standalone");
            try (ZooKeeperClusterStore store = connect(server)) {
                store.put("volumes/v1", "kept");
            }
            server.close();
            assertThat(server.isRunning()).isFalse();
            assertThat(server.mode()).isEmpty();
            server.start();
            try (ZooKeeperClusterStore store = connect(server)) {
                assertThat(store.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("kept");
            }
            assertThat(Files.list(dir.resolve("data")).map(p -> p.getFileName().toString())).contains("version-2");
            assertThat(FourLetterWords.ask("127.0.0.1", server.clientPort(), "conf").orElse(""))
                    .as("only srvr, ruok and mntr are allowed").doesNotContain("dataDir");
        }
        assertThat(server.isRunning()).isFalse();
        server.close();
    }

    @Test
    void aBusyPortFailsTheStartWithAClearError() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().baseDir(dir).clientPort(busy.getLocalPort())
                    .startTimeout(Duration.ofSeconds(5)).build();
            Throwable t = catchThrowable(server::start);
            assertThat(t).isInstanceOf(GdException.class);
            assertThat(((GdException) t).code()).isEqualTo(ErrorCode.DAEMON_FAILED);
            assertThat(t.getMessage()).contains(Integer.toString(busy.getLocalPort()));
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void aClientOfAStoppedServerFailsToConnectWithinItsTimeout() {
        int port = LoopbackPorts.free("127.0.0.1");
        Throwable t = catchThrowable(() -> ZooKeeperClusterStore.builder().connectString("127.0.0.1:" + port).namespace("c1")
                .operationTimeout(Duration.ofMillis(500)).build());
        assertThat(t).isInstanceOf(StoreUnavailableException.class);
        assertThat(t.getMessage()).contains("127.0.0.1:" + port).contains("500 ms");
        assertThat(((StoreUnavailableException) t).code().retryable()).isTrue();
    }

    @Test
    void invalidSettingsAreRefusedNamingTheValue() {
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().build(), "baseDir");
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().baseDir(dir).clientPort(70000).build(), "70000");
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().baseDir(dir).tickTime(Duration.ofMillis(1)).build(), "tickTime");
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().baseDir(dir).maxClientConnections(-1).build(), "-1");
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().baseDir(dir).startTimeout(Duration.ZERO).build(), "startTimeout");
        List<Member> members = List.of(new Member(1, "127.0.0.1", 1001, 1002, 1003), new Member(2, "127.0.0.1", 1004, 1005, 1006));
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().baseDir(dir).ensemble(3, members).build(), "member id 3");
        List<Member> twice = List.of(new Member(1, "127.0.0.1", 1001, 1002, 1003), new Member(1, "127.0.0.1", 1004, 1005, 1006));
        assertInvalid(() -> EmbeddedZooKeeperServer.builder().baseDir(dir).ensemble(1, twice).build(), "repeat");
        assertInvalid(() -> new Member(0, "127.0.0.1", 1, 2, 3), "member id 0");
        assertInvalid(() -> new Member(1, "127.0.0.1", 0, 2, 3), "port 0");
    }

    private static void assertInvalid(Runnable r, String mentions) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(GdException.class);
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(t.getMessage()).contains(mentions);
    }

    @Test
    void freePortsAreDistinct() {
        int[] ports = LoopbackPorts.free("127.0.0.1", 9);
        assertThat(ports).hasSize(9).doesNotHaveDuplicates().doesNotContain(0);
        Throwable t = catchThrowable(() -> LoopbackPorts.free("192.0.2.1"));
        assertThat(t).isInstanceOf(GdException.class).hasMessageContaining("192.0.2.1");
    }
}
