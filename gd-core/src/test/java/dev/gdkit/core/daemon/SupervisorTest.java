package dev.gdkit.core.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
    @TempDir
    Path dir;

    private DaemonSpec spec(String name, String script, int maxRestarts) {
        return DaemonSpec.builder(name).command(List.of("sh", "-c", script)).workDir(dir)
                .logFile(dir.resolve(name + ".log")).pidFile(dir.resolve("run/" + name + ".pid"))
                .restartBackoff(Duration.ofMillis(50)).maxRestarts(maxRestarts).port(49152).build();
    }

    @Test
    void aKilledDaemonIsRestartedAndReportedOnline() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (Supervisor s = new Supervisor(new LocalProcessLauncher())) {
            s.addListener(new DaemonListener() {
                public void started(DaemonStatus st) {
                    events.add("started");
                }

                public void died(DaemonStatus st, boolean again) {
                    events.add("died " + again);
                }
            });
            DaemonStatus first = s.ensureRunning(spec("brick-a", "exec sleep 60", 3));
            assertThat(first.online()).isTrue();
            assertThat(first.port()).isEqualTo(49152);
            long pid = first.pid().orElseThrow();
            assertThat(Files.readString(dir.resolve("run/brick-a.pid")).trim()).isEqualTo(Long.toString(pid));

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await(() -> s.status("brick-a").orElseThrow().online() && s.status("brick-a").orElseThrow().pid().getAsLong() != pid);

            DaemonStatus again = s.status("brick-a").orElseThrow();
            assertThat(again.restarts()).isEqualTo(1);
            assertThat(events).containsSubsequence("started", "died true", "started");
        }
    }

    @Test
    void aDaemonThatKeepsDyingIsGivenUpOn() throws Exception {
        try (Supervisor s = new Supervisor(new LocalProcessLauncher())) {
            s.ensureRunning(spec("crasher", "exit 3", 2));
            await(() -> s.status("crasher").orElseThrow().state() == DaemonStatus.State.FAILED);
            DaemonStatus st = s.status("crasher").orElseThrow();
            assertThat(st.restarts()).isEqualTo(2);
            assertThat(st.lastExitCode()).hasValue(3);
            assertThat(st.online()).isFalse();
        }
    }

    @Test
    void stopLeavesNoProcessAndNoRestart() throws Exception {
        try (Supervisor s = new Supervisor(new LocalProcessLauncher())) {
            long pid = s.ensureRunning(spec("brick-b", "exec sleep 60", 3)).pid().orElseThrow();
            s.stop("brick-b");
            await(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            Thread.sleep(200);
            assertThat(s.status("brick-b")).isEmpty();
            s.stop("never-started"); // fine
        }
    }

    @Test
    void aDaemonStillRunningAfterTheHostRestartedIsAdoptedNotDuplicated() throws Exception {
        DaemonSpec spec = DaemonSpec.builder("brick-c").command(List.of("sleep", "60")).workDir(dir)
                .logFile(dir.resolve("c.log")).pidFile(dir.resolve("run/brick-c.pid"))
                .restartBackoff(Duration.ofMillis(50)).maxRestarts(3).build();
        Supervisor before = new Supervisor(new LocalProcessLauncher());
        long pid = before.ensureRunning(spec).pid().orElseThrow();
        before.detach(); // the host goes down, the brick keeps serving
        try (Supervisor after = new Supervisor(new LocalProcessLauncher())) {
            DaemonStatus st = after.ensureRunning(spec);
            assertThat(st.pid()).hasValue(pid);
            // and it is supervised: killed, it comes back
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await(() -> after.status("brick-c").orElseThrow().online() && after.status("brick-c").orElseThrow().pid().getAsLong() != pid);
        }
    }

    @Test
    void aStalePidFileIsNotAdopted() throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run/brick-d.pid"), Long.toString(ProcessHandle.current().pid())); // a java process, not sh
        try (Supervisor s = new Supervisor(new LocalProcessLauncher())) {
            DaemonStatus st = s.ensureRunning(spec("brick-d", "exec sleep 60", 1));
            assertThat(st.pid().getAsLong()).isNotEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void reloadOfAnUnknownDaemonIsAClearError() {
        try (Supervisor s = new Supervisor(new LocalProcessLauncher())) {
            assertThatThrownBy(() -> s.reload("ghost")).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                assertThat(e.getMessage()).contains("ghost");
            });
        }
    }

    private static void await(BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
