package dev.gdkit.zookeeper.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gdkit.zookeeper.embedded.FourLetterWords;
import dev.gdkit.zookeeper.embedded.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A ZooKeeper server from Debian's {@code zookeeper} package, run as a separate process on a free
 * loopback port with its own temporary data directory: the "external ensemble" of the tests.
 * {@link #startOrSkip(String)} skips the calling test class when the package is not installed.
 */
final class DebianZooKeeperServer implements AutoCloseable {
    static final Path JAR = Path.of("/usr/share/java/zookeeper.jar");

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private DebianZooKeeperServer(Path dir, int port, List<String> extraConfig) {
        this.dir = dir;
        this.port = port;
        this.config = dir.resolve("zoo.cfg");
        StringBuilder cfg = new StringBuilder()
                .append("tickTime=1000\n")
                .append("dataDir=").append(dir.resolve("data")).append('\n')
                .append("clientPort=").append(port).append('\n')
                .append("clientPortAddress=127.0.0.1\n")
                .append("admin.enableServer=false\n")
                .append("4lw.commands.whitelist=srvr,ruok\n")
                .append("maxClientCnxns=0\n");
        extraConfig.forEach(l -> cfg.append(l).append('\n'));
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(config, cfg.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server, or skips the test when Debian's zookeeper package is absent. */
    static DebianZooKeeperServer startOrSkip(String name, String... extraConfig) {
        assumeTrue(Files.isRegularFile(JAR), "Debian's zookeeper package is not installed (" + JAR
                + " is missing): install it with .ci/install-zookeeper.sh (apt-get install -y zookeeper) to run " + name);
        DebianZooKeeperServer s = new DebianZooKeeperServer(ZkTesting.tempDir("gd-zk-debian"),
                LoopbackPorts.free("127.0.0.1"), List.of(extraConfig));
        s.start();
        return s;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(java, "-Xmx256m", "-cp", JAR.toString(),
                    "org.apache.zookeeper.server.quorum.QuorumPeerMain", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Debian's ZooKeeper: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> mode = FourLetterWords.mode("127.0.0.1", port);
            if (mode.isPresent()) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Debian's ZooKeeper exited with " + process.exitValue() + "; see " + dir.resolve("server.log"));
            }
            sleep(50);
        }
        throw new IllegalStateException("Debian's ZooKeeper did not serve on port " + port + " within 60 s; see " + dir.resolve("server.log"));
    }

    /** Kills the server process (its data stays). */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    /** The server's version line as {@code srvr} reports it. */
    String version() {
        return FourLetterWords.ask("127.0.0.1", port, "srvr").map(r -> r.lines().findFirst().orElse("?")).orElse("?");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        ZkTesting.delete(dir);
    }
}
