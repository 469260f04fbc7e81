package dev.gdkit.core.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessLauncherTest {
    @TempDir
    Path dir;

    @Test
    void launchesReloadsAndStopsARealProcess() throws Exception {
        Path log = dir.resolve("logs/d.log");
        DaemonSpec spec = DaemonSpec.builder("sleeper")
                .command(List.of("sh", "-c", "trap 'echo reloaded' HUP; echo started; while true; do sleep 0.05; done"))
                .workDir(dir).logFile(log).reloadSignal("HUP").build();
        ManagedProcess p = new LocalProcessLauncher().launch(spec);
        assertThat(p.isAlive()).isTrue();
        assertThat(p.pid()).isPresent();
        waitForLog(log, "started");
        p.reload();
        waitForLog(log, "reloaded");
        p.stop(Duration.ofSeconds(2));
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void aMissingProgramIsAClearDaemonError() {
        DaemonSpec spec = DaemonSpec.builder("ghost").command(List.of(dir.resolve("no-such-binary").toString()))
                .workDir(dir).logFile(dir.resolve("g.log")).build();
        assertThatThrownBy(() -> new LocalProcessLauncher().launch(spec)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DAEMON_FAILED);
            assertThat(e.getMessage()).contains("ghost").contains("no-such-binary");
        });
    }

    @Test
    void specsAreValidated() {
        assertThatThrownBy(() -> DaemonSpec.builder("x").workDir(dir).logFile(dir.resolve("l")).build())
                .isInstanceOf(GdException.class).hasMessageContaining("empty command");
        assertThatThrownBy(() -> DaemonSpec.builder("x").command(List.of("true")).workDir(dir).logFile(dir.resolve("l"))
                .port(70000).build()).isInstanceOf(GdException.class).hasMessageContaining("70000");
    }

    private static void waitForLog(Path log, String text) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("log never showed '" + text + "': " + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }
}
