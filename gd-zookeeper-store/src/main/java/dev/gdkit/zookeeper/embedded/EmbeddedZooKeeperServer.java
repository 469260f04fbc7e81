package dev.gdkit.zookeeper.embedded;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>An ensemble member always runs in quorum mode with dynamic reconfiguration on, even as the
 * only voter ({@code standaloneEnabled=false}), so that voters can be added later. Its membership
 * is written to a dynamic configuration file named with the configuration's version (ZooKeeper
 * reads the version from the name), so a restart with a persisted {@link EnsembleConfig} resumes
 * at exactly that version.
 *
 * <p>Process-global caveats of embedding ZooKeeper: ZooKeeper's config parser keeps
 * {@code standaloneEnabled} and {@code reconfigEnabled} in static fields (this class always sets
 * both, so servers of both kinds can follow each other in one JVM; a standalone server started
 * while ensemble members run would make the leader refuse to reconfigure down to one voter);
 * the superuser digest is a JVM-wide property ({@link JvmSuperUser}, installed before every
 * start); {@code jute.maxbuffer},
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
            if (clientPort == quorumPort || clientPort == electionPort || quorumPort == electionPort) {
                throw invalid("member " + id + " uses one port twice (client " + clientPort + ", quorum " + quorumPort + ", election "
                        + electionPort + ")", "give three different ports");
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
    private final int myId;
    private final EnsembleConfig ensemble;
    private final boolean awaitQuorum;
    private final boolean exitOnFatalError;
    private final Duration startTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private ZooKeeperServerEmbedded server;

    private EmbeddedZooKeeperServer(Builder b, String host, int clientPort, Properties config) {
        this.baseDir = b.baseDir;
        this.host = host;
        this.clientPort = clientPort;
        this.config = config;
        this.myId = b.myId;
        this.ensemble = b.ensemble;
        this.awaitQuorum = b.awaitQuorum;
        this.exitOnFatalError = b.exitOnFatalError;
        this.startTimeout = b.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the server and waits until it serves (for an ensemble member: until a quorum formed,
     * unless {@link Builder#awaitQuorum(boolean)} said not to), at most the start timeout. A server
     * can be started again after {@link #close()}.
     */
    public synchronized EmbeddedZooKeeperServer start() {
        if (running.get()) {
            return this;
        }
        JvmSuperUser.install();
        try {
            Path conf = baseDir.resolve("conf");
            // the configuration is generated at every start: nothing of an earlier run is read
            deleteFiles(conf);
            Files.createDirectories(conf);
            Files.createDirectories(baseDir.resolve("data"));
            Properties p = new Properties();
            p.putAll(config);
            if (ensemble != null) {
                Files.writeString(baseDir.resolve("data").resolve("myid"), myId + "\n", StandardCharsets.US_ASCII);
                Path dynamic = conf.resolve("zoo.cfg.dynamic." + Long.toHexString(ensemble.version()));
                Files.writeString(dynamic, ensemble.serverLines(), StandardCharsets.US_ASCII);
                p.setProperty("dynamicConfigFile", dynamic.toAbsolutePath().toString());
            }
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
        running.set(true);
        if (ensemble != null && awaitQuorum) {
            try {
                awaitServing();
            } catch (GdException e) {
                close();
                throw e;
            }
        }
        LOG.info("embedded ZooKeeper {} on {} (data {}{})", ensemble != null && !awaitQuorum ? "started" : "serving", connectString(),
                baseDir, ensemble != null ? ", server " + myId + " of " + ensemble : "");
        return this;
    }

    private static void deleteFiles(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        }
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

    /** The server's id in its ensemble; 0 for a standalone server. */
    public int myId() {
        return myId;
    }

    /** The ensemble configuration this server was started with; empty for a standalone server. */
    public Optional<EnsembleConfig> startConfig() {
        return Optional.ofNullable(ensemble);
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
        return "EmbeddedZooKeeperServer[" + connectString() + (ensemble != null ? " id " + myId : "") + "]";
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
        private EnsembleConfig ensemble;
        private boolean awaitQuorum = true;
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

        /** Makes this server member {@code myId} of the ensemble {@code members} (which must include it), configuration version 0. */
        public Builder ensemble(int myId, List<Member> members) {
            return ensemble(myId, new EnsembleConfig(0, members));
        }

        /**
         * Makes this server member {@code myId} of the ensemble {@code config} (which must list it):
         * a persisted configuration to resume at its version, or the current one plus this server
         * (version 0) to join a running ensemble.
         */
        public Builder ensemble(int myId, EnsembleConfig config) {
            this.myId = myId;
            this.ensemble = config;
            return this;
        }

        /**
         * Whether {@link #start()} of an ensemble member waits until a quorum serves (default true).
         * False: it returns once the ports are bound, so the members of a stopped ensemble can be
         * started one after another.
         */
        public Builder awaitQuorum(boolean await) {
            this.awaitQuorum = await;
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
            if (ensemble != null) {
                Member me = ensemble.member(myId)
                        .orElseThrow(() -> invalid("member id " + myId + " is not among the ensemble's members " + ensemble.members(),
                                "list this server in the members"));
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
            return new EmbeddedZooKeeperServer(this, host, port, p);
        }
    }
}
