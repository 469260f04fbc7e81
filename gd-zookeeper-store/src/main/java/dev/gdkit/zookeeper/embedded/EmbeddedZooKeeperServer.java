package dev.gdkit.zookeeper.embedded;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ZooKeeper server running inside this JVM ({@link ZooKeeperServerEmbedded}): standalone for a
 * one-node cluster, or one member of an ensemble. Data lives under the given directory
 * ({@code data/} for snapshots and the transaction log, {@code conf/} for the generated
 * configuration); the admin server (Jetty) is off; only the {@code srvr}, {@code ruok} and
 * {@code mntr} four-letter words are allowed (for {@link #mode()}).
 *
 * <p>Ports: a port of 0 means "pick a free loopback port now" (ZooKeeper 3.9's embedded server
 * cannot report a kernel-chosen client port, so the port is probed and then bound; a lost race
 * fails {@link #start()} with a clear message and another start picks again).
 *
 * <p>Process-global caveats of embedding ZooKeeper: ZooKeeper's config parser keeps
 * {@code standaloneEnabled} and {@code reconfigEnabled} in static fields (this class always sets
 * both, so servers of both kinds can follow each other in one JVM); {@code jute.maxbuffer},
 * {@code zookeeper.extendedTypesEnabled} and {@code zookeeper.forceSync} are JVM system properties
 * shared by every server and client in the JVM; fatal server errors are only logged (ExitHandler
 * LOG_ONLY) unless {@link Builder#exitOnFatalError(boolean)} asks for System.exit.
 */
public final class EmbeddedZooKeeperServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeperServer.class);

    /** One member of an ensemble as every member's configuration lists it. */
    public record Member(int id, String host, int clientPort, int quorumPort, int electionPort) {
        public Member {
            if (id < 1 || id > 254) {
                throw invalid("member id " + id + " is out of range", "use 1 to 254");
            }
            Objects.requireNonNull(host, "host");
            for (int p : new int[] {clientPort, quorumPort, electionPort}) {
                if (p < 1 || p > 65535) {
                    throw invalid("member " + id + " port " + p + " is out of range", "use 1 to 65535 (probe free ports first)");
                }
            }
        }

        String serverLine() {
            return host + ":" + quorumPort + ":" + electionPort + ";" + host + ":" + clientPort;
        }

        /** {@code host:clientPort}. */
        public String clientAddress() {
            return host + ":" + clientPort;
        }
    }

    private final Path baseDir;
    private final String host;
    private final int clientPort;
    private final Properties config;
    private final boolean exitOnFatalError;
    private final Duration startTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private ZooKeeperServerEmbedded server;

    private EmbeddedZooKeeperServer(Path baseDir, String host, int clientPort, Properties config, boolean exitOnFatalError,
                                    Duration startTimeout) {
        this.baseDir = baseDir;
        this.host = host;
        this.clientPort = clientPort;
        this.config = config;
        this.exitOnFatalError = exitOnFatalError;
        this.startTimeout = startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server and waits until it serves (for an ensemble member: until a quorum formed),
     * at most the start timeout. A server can be started again after {@link #close()}.
     */
    public synchronized EmbeddedZooKeeperServer start() {
        if (running.get()) {
            return this;
        }
        try {
            Files.createDirectories(baseDir.resolve("conf"));
            Files.createDirectories(baseDir.resolve("data"));
            String myId = config.getProperty("gdkit.myid");
            if (myId != null) {
                Files.writeString(baseDir.resolve("data").resolve("myid"), myId + "\n", StandardCharsets.US_ASCII);
            }
            Properties p = new Properties();
            p.putAll(config);
            p.remove("gdkit.myid");
            server = ZooKeeperServerEmbedded.builder()
                    .baseDir(baseDir.resolve("conf"))
                    .configuration(p)
                    .exitHandler(exitOnFatalError ? ExitHandler.EXIT : ExitHandler.LOG_ONLY)
                    .build();
            server.start(startTimeout.toMillis());
        } catch (Exception e) {
            if (server != null) {
                server.close();
                server = null;
            }
            throw new GdException(ErrorCode.DAEMON_FAILED, "the embedded ZooKeeper server on " + connectString() + " (data "
                    + baseDir + ") did not start within " + startTimeout.toMillis() + " ms: " + e,
                    "check that the port is free and the directory writable; see the log", List.of(), e);
        }
        if (myIdOrNull() != null) {
            awaitServing();
        }
        running.set(true);
        LOG.info("embedded ZooKeeper serving on {} (data {})", connectString(), baseDir);
        return this;
    }

    private String myIdOrNull() {
        return config.getProperty("gdkit.myid");
    }

    private void awaitServing() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> mode = mode();
            if (mode.isPresent() && (mode.get().equals("leader") || mode.get().equals("follower") || mode.get().equals("observer"))) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new GdException(ErrorCode.DAEMON_FAILED, "the embedded ZooKeeper ensemble member on " + connectString()
                + " found no quorum within " + startTimeout.toMillis() + " ms",
                "start a majority of the ensemble's members; check their quorum and election ports");
    }

    /** {@code host:port} for clients. */
    public String connectString() {
        return host + ":" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public Path baseDir() {
        return baseDir;
    }

    public boolean isRunning() {
        return running.get();
    }

    /**
     * The server's role as its {@code srvr} command reports it: {@code standalone}, {@code leader},
     * {@code follower}, {@code observer}; empty when it does not answer (stopped, or not serving).
     */
    public Optional<String> mode() {
        return FourLetterWords.mode(host, clientPort);
    }

    /** Stops the server; its data stays under the base directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (running.getAndSet(false)) {
            LOG.info("embedded ZooKeeper on {} stopped", connectString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedZooKeeperServer[" + connectString() + (myIdOrNull() != null ? " id " + myIdOrNull() : "") + "]";
    }

    private static GdException invalid(String message, String remedy) {
        return new GdException(ErrorCode.INVALID_ARGUMENT, "embedded ZooKeeper configuration: " + message, remedy);
    }

    /** Configures an {@link EmbeddedZooKeeperServer}; {@code baseDir} is required. */
    public static final class Builder {
        private Path baseDir;
        private String host = "127.0.0.1";
        private int clientPort;
        private Duration tickTime = Duration.ofMillis(2000);
        private int maxClientConnections = 0;
        private boolean exitOnFatalError;
        private Duration startTimeout = Duration.ofSeconds(30);
        private int myId;
        private final List<Member> members = new ArrayList<>();
        private final Properties extra = new Properties();

        private Builder() {
        }

        /** The directory that holds the server's data and generated configuration. Required. */
        public Builder baseDir(Path baseDir) {
            this.baseDir = baseDir;
            return this;
        }

        /** The address to bind; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The client port; 0 (default) probes a free port. Ignored for an ensemble member (its Member says). */
        public Builder clientPort(int clientPort) {
            this.clientPort = clientPort;
            return this;
        }

        /** ZooKeeper's tick; sessions may last 2 to 20 ticks. Default 2 s. */
        public Builder tickTime(Duration tickTime) {
            this.tickTime = tickTime;
            return this;
        }

        /** Per-address connection limit; 0 (default) for none. */
        public Builder maxClientConnections(int max) {
            this.maxClientConnections = max;
            return this;
        }

        /** Whether a fatal server error calls System.exit (ZooKeeper's default); default false: it is logged. */
        public Builder exitOnFatalError(boolean exit) {
            this.exitOnFatalError = exit;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Makes this server member {@code myId} of the ensemble {@code members} (which must include it). */
        public Builder ensemble(int myId, List<Member> members) {
            this.myId = myId;
            this.members.clear();
            this.members.addAll(members);
            return this;
        }

        /** Any other zoo.cfg property (for example {@code globalOutstandingLimit}). */
        public Builder property(String key, String value) {
            extra.setProperty(key, value);
            return this;
        }

        public EmbeddedZooKeeperServer build() {
            if (baseDir == null) {
                throw invalid("baseDir is missing", "give the node's work directory, for example <workdir>/zookeeper");
            }
            if (tickTime == null || tickTime.toMillis() < 10 || tickTime.toMillis() > 60_000) {
                throw invalid("tickTime " + tickTime + " is out of range", "use 10 ms to 60 s");
            }
            if (clientPort < 0 || clientPort > 65535) {
                throw invalid("client port " + clientPort + " is out of range", "use 0 (pick a free port) to 65535");
            }
            if (maxClientConnections < 0) {
                throw invalid("maxClientConnections " + maxClientConnections + " is negative", "use 0 for no limit");
            }
            if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
                throw invalid("startTimeout " + startTimeout + " is not positive", "give a positive duration");
            }
            Properties p = new Properties();
            p.putAll(extra);
            p.setProperty("dataDir", baseDir.resolve("data").toAbsolutePath().toString());
            p.setProperty("tickTime", Long.toString(tickTime.toMillis()));
            p.setProperty("initLimit", "10");
            p.setProperty("syncLimit", "5");
            p.setProperty("maxClientCnxns", Integer.toString(maxClientConnections));
            p.setProperty("admin.enableServer", "false");
            p.setProperty("4lw.commands.whitelist", "srvr,ruok,mntr");
            p.setProperty("autopurge.snapRetainCount", "3");
            p.setProperty("autopurge.purgeInterval", "1");
            int port;
            if (myId != 0) {
                Member me = members.stream().filter(m -> m.id() == myId).findFirst()
                        .orElseThrow(() -> invalid("member id " + myId + " is not among the ensemble's members " + members,
                                "list this server in the members"));
                if (members.stream().map(Member::id).distinct().count() != members.size()) {
                    throw invalid("ensemble members " + members + " repeat an id", "give each member its own id");
                }
                for (Member m : members) {
                    p.setProperty("server." + m.id(), m.serverLine());
                }
                p.setProperty("gdkit.myid", Integer.toString(myId));
                p.setProperty("standaloneEnabled", "false");
                p.setProperty("reconfigEnabled", "true");
                p.setProperty("skipACL", "no");
                host = me.host();
                port = me.clientPort();
            } else {
                // standaloneEnabled and reconfigEnabled are static fields of ZooKeeper's config parser:
                // an ensemble member started earlier in this JVM would leave them false, so always set them
                p.setProperty("standaloneEnabled", "true");
                p.setProperty("reconfigEnabled", "false");
                port = clientPort == 0 ? LoopbackPorts.free(host) : clientPort;
                p.setProperty("clientPort", Integer.toString(port));
                p.setProperty("clientPortAddress", host);
            }
            return new EmbeddedZooKeeperServer(baseDir, host, port, p, exitOnFatalError, startTimeout);
        }
    }
}
