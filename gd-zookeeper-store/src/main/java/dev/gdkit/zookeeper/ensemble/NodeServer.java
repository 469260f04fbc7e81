package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import dev.gdkit.zookeeper.embedded.EnsembleConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** The node's own embedded ZooKeeper server, when it has one. Not thread-safe: one controller thread uses it. */
final class NodeServer {
    private final Path baseDir;
    private final Duration tickTime;
    private final Duration startTimeout;
    private EmbeddedZooKeeperServer server;

    NodeServer(Path baseDir, Duration tickTime, Duration startTimeout) {
        this.baseDir = baseDir;
        this.tickTime = tickTime;
        this.startTimeout = startTimeout;
    }

    synchronized boolean running() {
        return server != null && server.isRunning();
    }

    /** Starts server {@code myId} of {@code config}; with {@code awaitQuorum} it returns once a quorum serves. */
    synchronized void start(int myId, EnsembleConfig config, boolean awaitQuorum) {
        stop();
        EmbeddedZooKeeperServer s = EmbeddedZooKeeperServer.builder().baseDir(baseDir).tickTime(tickTime).startTimeout(startTimeout)
                .ensemble(myId, config).awaitQuorum(awaitQuorum).build();
        s.start();
        server = s;
    }

    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Stops the server and deletes its data: a later start syncs everything from the ensemble again. */
    synchronized void stopAndWipe() {
        stop();
        if (!Files.exists(baseDir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(baseDir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot delete the ZooKeeper data in " + baseDir + ": " + e.getMessage(),
                    "check the permissions of the work directory");
        }
    }

    /** The server's {@code srvr} mode; empty when it does not run or does not serve. */
    synchronized Optional<String> mode() {
        return server == null ? Optional.empty() : server.mode();
    }

    /** The configuration it was started with. */
    synchronized Optional<EnsembleConfig> startConfig() {
        return server == null ? Optional.empty() : server.startConfig();
    }
}
