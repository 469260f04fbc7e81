package dev.gdkit.volgen;

import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolfileKind;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * GlusterFS itself loads the generated client-side volfiles: {@code glusterfs --volfile-check}
 * parses each file, finds every translator type and validates every option against the
 * translators' tables. Brick and gfproxyd files are left out because loading them binds ports and
 * touches brick directories. Skipped when GlusterFS is not installed.
 */
class GlusterfsAcceptsTest {
    private static final Set<VolfileKind> CLIENT_SIDE = Set.of(VolfileKind.CLIENT, VolfileKind.TRUSTED_CLIENT,
            VolfileKind.GFPROXY_CLIENT, VolfileKind.SELF_HEAL, VolfileKind.REBALANCE);

    static List<Path> cases() {
        return Corpus.cases();
    }

    private static Optional<Path> glusterfs() {
        return Stream.of("/usr/sbin/glusterfs", "/usr/bin/glusterfs", "/usr/local/sbin/glusterfs")
                .map(Path::of).filter(Files::isExecutable).findFirst();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void glusterfsLoadsTheGeneratedClientVolfiles(Path dir, @TempDir Path tmp) throws Exception {
        Optional<Path> bin = glusterfs();
        assumeTrue(bin.isPresent(), "GlusterFS (the glusterfs binary) is not installed; install Debian's "
                + "glusterfs-server or glusterfs-client to run this check");
        GlusterVolgen volgen = GlusterVolgen.standard();
        for (Volfile f : volgen.generate(Corpus.request(dir, (GlusterOptionCatalog) volgen.catalog())).files()) {
            if (!CLIENT_SIDE.contains(f.kind())) {
                continue;
            }
            Path file = tmp.resolve(f.fileName());
            Files.writeString(file, f.text());
            Path log = tmp.resolve(f.fileName() + ".log");
            Path pid = tmp.resolve(f.fileName() + ".pid");
            // glusterfs checks the graph, answers through its exit code, and leaves a daemon behind
            // (it goes on to connect to the bricks): its pid file tells which process to stop
            Process p = new ProcessBuilder(bin.get().toString(), "--volfile-check", "-f", file.toString(),
                    "--log-file=" + log, "--pid-file=" + pid).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("out.txt").toFile()).start();
            boolean done;
            try {
                done = p.waitFor(60, TimeUnit.SECONDS);
            } finally {
                p.destroyForcibly();
                stopDaemon(pid);
            }
            String why = Files.exists(log) ? String.join("\n", Files.readAllLines(log).stream()
                    .filter(l -> l.contains("] E [")).toList()) : "";
            assertThat(done && p.exitValue() == 0).as("glusterfs --volfile-check %s: %s", f.fileName(), why).isTrue();
        }
    }

    /** Stops the daemon glusterfs left behind, waiting for it to go. */
    private static void stopDaemon(Path pidFile) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(pidFile) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        if (text.isEmpty()) {
            return;
        }
        long pid = Long.parseLong(text);
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            h.get().destroyForcibly();
            // gone, or dead and waiting for its parent (init here) to reap it: a zombie holds nothing
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!deadOrZombie(pid)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("glusterfs " + pid + " still runs 10 s after SIGKILL");
                }
                Thread.sleep(20);
            }
        }
    }

    private static boolean deadOrZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
