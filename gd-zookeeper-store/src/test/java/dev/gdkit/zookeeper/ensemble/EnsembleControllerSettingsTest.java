package dev.gdkit.zookeeper.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.node.InMemoryLocalState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad setting is refused with INVALID_ARGUMENT naming it, before anything is created. */
class EnsembleControllerSettingsTest {
    @TempDir
    Path dir;

    private EnsembleController.Builder good(InMemoryLocalState state) {
        return EnsembleController.builder().nodeId("n1").host("127.0.0.1").clientPort(0).quorumPort(0).electionPort(0)
                .baseDir(dir.resolve("zk")).localState(state).superPassword("gdkit-test");
    }

    private void assertRefused(UnaryOperator<EnsembleController.Builder> change, String mentions) {
        InMemoryLocalState state = new InMemoryLocalState();
        Throwable t = catchThrowable(() -> change.apply(good(state)).build());
        assertThat(t).as(mentions).isInstanceOf(GdException.class).hasMessageContaining(mentions);
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(Files.exists(dir.resolve("zk"))).isFalse();
        assertThat(state.get(LocalEnsembleState.CLIENT_PORT)).isEmpty();
    }

    @Test
    void badSettingsAreRefusedAndChangeNothing() {
        assertRefused(b -> b.nodeId(null), "node id 'null'");
        assertRefused(b -> b.nodeId("a/b"), "node id 'a/b'");
        assertRefused(b -> b.host("0.0.0.0"), "host '0.0.0.0'");
        assertRefused(b -> b.host("bad host"), "host 'bad host'");
        assertRefused(b -> b.clientPort(70000), "client port 70000");
        assertRefused(b -> b.quorumPort(-1), "quorum port -1");
        assertRefused(b -> b.quorumPort(2888).electionPort(2888), "quorum and election port are both 2888");
        assertRefused(b -> b.clientPort(2181).electionPort(2181), "client and election port are both 2181");
        assertRefused(b -> b.baseDir(null), "baseDir");
        assertRefused(b -> b.localState(null), "localState");
        assertRefused(b -> b.goneAfter(Duration.ZERO), "goneAfter");
        assertRefused(b -> b.checkInterval(Duration.ofMillis(1)), "checkInterval");
        assertRefused(b -> b.tickTime(Duration.ofMinutes(5)), "tickTime");
        assertRefused(b -> b.keyPrefix("a//b"), "key prefix 'a//b'");
        assertRefused(b -> b.superPassword(""), "password is empty");
    }

    @Test
    void aBadConnectStringToJoinIsRefusedAndChangesNothing() {
        InMemoryLocalState state = new InMemoryLocalState();
        state.put(LocalEnsembleState.CONNECT, "127.0.0.1:2181");
        EnsembleController c = good(state).build();
        for (String bad : new String[] {"", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:99999", "h:1,;x"}) {
            Throwable t = catchThrowable(() -> c.joining(bad));
            assertThat(t).as(bad).isInstanceOf(GdException.class).hasMessageContaining("connect string");
        }
        assertThat(c.connectString()).isEqualTo("127.0.0.1:2181");
        assertThat(Files.exists(dir.resolve("zk"))).isFalse();
        Throwable t = catchThrowable(() -> c.removeNode("n2"));
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    }
}
