package dev.gdkit.zookeeper.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnsembleConfigTest {
    private static final String TEXT = "server.2=127.0.0.1:4:5:participant;127.0.0.1:6\nserver.1=127.0.0.1:1:2:participant;0.0.0.0:3\n"
            + "server.9=127.0.0.1:7:8:observer;127.0.0.1:9\nversion=10000002a\n";

    @Test
    void parsesZooKeepersConfigurationAndWritesItBack() {
        EnsembleConfig c = EnsembleConfig.parse(TEXT);
        assertThat(c.version()).isEqualTo(0x10000002aL);
        assertThat(c.ids()).as("observers are left out").containsExactly(1, 2);
        assertThat(c.member(1).orElseThrow()).isEqualTo(new Member(1, "127.0.0.1", 3, 1, 2));
        assertThat(c.connectString()).isEqualTo("127.0.0.1:3,127.0.0.1:6");
        assertThat(EnsembleConfig.parse(c.text())).isEqualTo(c);
        assertThat(c.serverLines()).doesNotContain("version");
        EnsembleConfig joining = c.joining(new Member(4, "127.0.0.2", 10, 11, 12));
        assertThat(joining.version()).isZero();
        assertThat(joining.ids()).containsExactly(1, 2, 4);
    }

    @Test
    void badConfigurationsAreRefusedNamingTheLine() {
        for (String bad : List.of("server.1=127.0.0.1:1:2", "server.x=127.0.0.1:1:2;127.0.0.1:3", "version=zz", "tickTime=2000",
                "server.1=127.0.0.1:1:2:boss;127.0.0.1:3", "garbage")) {
            Throwable t = catchThrowable(() -> EnsembleConfig.parse(bad));
            assertThat(t).as(bad).isInstanceOf(GdException.class);
            assertThat(((GdException) t).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(t.getMessage()).contains(bad.substring(0, Math.min(bad.length(), 8)));
        }
        assertThat(catchThrowable(() -> new EnsembleConfig(0, List.of(new Member(1, "h", 1, 2, 3), new Member(1, "h", 4, 5, 6)))))
                .hasMessageContaining("repeat server id 1");
        assertThat(catchThrowable(() -> new Member(1, "h", 5, 5, 6))).hasMessageContaining("one port twice");
    }
}
