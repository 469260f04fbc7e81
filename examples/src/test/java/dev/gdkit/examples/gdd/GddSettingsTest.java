package dev.gdkit.examples.gdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gdd's command line: every bad argument is refused with a message naming it, before the work directory exists. */
class GddSettingsTest {
    @TempDir
    Path dir;

    private String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("--listen", "127.0.0.1", "--workdir", dir.resolve("wd").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private void assertRefused(String mentions, String... more) {
        Throwable t = catchThrowable(() -> GddMain.settings(args(more)));
        assertThat(t).as(String.join(" ", more)).isInstanceOf(GddMain.UsageException.class).hasMessageContaining(mentions);
        assertThat(Files.exists(dir.resolve("wd"))).isFalse();
    }

    @Test
    void ensembleSettingsAreReadWithDefaults() throws Exception {
        GddSettings s = GddMain.settings(args("--quorum-port", "0", "--election-port", "3999", "--voter-grace", "45"));
        assertThat(s.quorumPort()).isZero();
        assertThat(s.electionPort()).isEqualTo(3999);
        assertThat(s.voterGrace()).isEqualTo(Duration.ofSeconds(45));
        GddSettings d = GddMain.settings(args());
        assertThat(List.of(d.storePort(), d.quorumPort(), d.electionPort())).containsExactly(2181, 2888, 3888);
        assertThat(d.voterGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Files.exists(dir.resolve("wd"))).isFalse();
    }

    @Test
    void badArgumentsAreRefusedAndCreateNothing() {
        assertRefused("--quorum-port 70000", "--quorum-port", "70000");
        assertRefused("--election-port -1", "--election-port", "-1");
        assertRefused("--store-port and --quorum-port are both 2181", "--store-port", "2181", "--quorum-port", "2181");
        assertRefused("--quorum-port and --election-port are both 2888", "--election-port", "2888");
        assertRefused("--rest-port and --election-port are both 24007", "--election-port", "24007");
        assertRefused("--voter-grace", "--voter-grace", "0");
        assertRefused("--voter-grace 'soon' is not a number", "--voter-grace", "soon");
        assertRefused("--brick-port-base 0", "--brick-port-base", "0");
        assertRefused("unknown option --quorum", "--quorum", "1");
        assertRefused("bad argument", "--quorum-port");
        Throwable t = catchThrowable(() -> GddMain.settings(new String[] {"--listen", "0.0.0.0", "--workdir", dir.resolve("wd").toString()}));
        assertThat(t).hasMessageContaining("concrete address");
    }
}
