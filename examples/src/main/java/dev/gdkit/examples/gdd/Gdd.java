package dev.gdkit.examples.gdd;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.core.daemon.LocalProcessLauncher;
import dev.gdkit.core.daemon.Supervisor;
import dev.gdkit.core.event.EventBus;
import dev.gdkit.core.node.FileLocalState;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.volume.VolumePlugin;
import dev.gdkit.core.volume.VolumeService;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.NodeCredentials;
import dev.gdkit.grpc.transport.GrpcTransport;
import dev.gdkit.grpc.transport.TransportSecurity;
import dev.gdkit.volgen.GlusterVolgen;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.zookeeper.ensemble.EnsembleController;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference daemon: one node of a GlusterFS-style pool assembled from gd-kit's parts. Every node
 * starts as a pool of one with its own embedded ZooKeeper (as a fresh glusterd is its own pool);
 * {@code POST /v1/peers} on a member invites another fresh node, which then drops its own empty pool
 * and joins the member's (connecting to the pool's ZooKeeper voters, then the join handshake over
 * gRPC). The pool's ZooKeeper ensemble follows its membership through the
 * {@link EnsembleController}: the first three nodes (five from five on) are voters, the others
 * clients; a removed or long-gone voter is replaced. Everything a node needs again after a restart
 * lives in the work directory, including the voters it last saw, so a pool restarts without its
 * first node.
 */
public final class Gdd implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gdd.class);
    static final String NAMESPACE = "gdd";
    static final OpVersionRange OP_VERSIONS = OpVersionRange.of(1, 100000);
    /** How long a join waits for the ensemble to place the node (the inviting member's request allows 60 s in all). */

    /** What the node keeps about its pool between runs (workdir/gdd.state). */
    private static final String K_ID = "node-id";
    /** Whether this node founded its pool (it bootstraps the pool again if it stopped before it was a member). */
    private static final String K_FOUNDER = "pool-founder";
    private static final String K_USER = "store-user";
    private static final String K_PASSWORD = "store-password";

    private final GddSettings settings;
    private final FileLocalState config;
    private final NodeId id;
    private final EventBus events = new EventBus(1000);
    private final Supervisor supervisor = new Supervisor(new LocalProcessLauncher(), Duration.ofSeconds(60), Duration.ofSeconds(10));
    private final Metrics metrics = new Metrics();
    private final BrickDaemons daemons;
    private final Webhooks webhooks;
    private final EnsembleController ensemble;
    private volatile Runtime runtime;
    /** A node started from an empty work directory: it forms its pool of one only when something needs it. */
    private volatile boolean unpooled;
    private RestServer rest;

    /** The parts that change when the node joins another pool. */
    record Runtime(ZooKeeperClusterStore store, GdNode node, VolumePlugin plugin, VolumeService volumes,
                   GrpcTransport transport, ClusterAuthority authority) {
        void close() {
            node.close();
        }
    }

    /** The store a joining node connects to and the one-time join token, from the member that invites it. */
    public record Invite(String store, String user, String password, String member, String token) {
    }

    /** How the node's transport is secured when it is opened. */
    private enum Tls {
        /** Create the pool's CA and this node's certificate (a new pool). */
        CREATE,
        /** Use the certificate in the work directory (a restart). */
        MEMBER,
        /** No certificate yet: join with a token, then keep the certificate the member signed. */
        JOIN
    }

    public Gdd(GddSettings settings) {
        this.settings = settings;
        try {
            Files.createDirectories(settings.workdir());
        } catch (IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot create work directory " + settings.workdir() + ": " + e.getMessage(),
                    "give a writable --workdir");
        }
        this.config = new FileLocalState(settings.workdir().resolve("gdd.state"));
        this.id = NodeId.of(config.get(K_ID).orElseGet(() -> {
            String v = UUID.randomUUID().toString();
            config.put(K_ID, v);
            return v;
        }));
        this.ensemble = EnsembleController.builder().nodeId(id.value()).host(settings.host()).clientPort(settings.storePort())
                .quorumPort(settings.quorumPort()).electionPort(settings.electionPort()).baseDir(settings.workdir().resolve("zookeeper"))
                .localState(config).goneAfter(settings.voterGrace()).removedWhen(this::leftThePool).build();
        // background work never forms a pool: it waits until the node has one
        this.daemons = new BrickDaemons(settings, id, supervisor, events, this::pooledRuntime);
        this.webhooks = new Webhooks(id, this::pooledRuntime);
        events.register(webhooks);
        supervisor.addListener(daemons);
    }

    /**
     * Starts the node: restores its pool (its ZooKeeper server if it is a voter, waiting up to the
     * store wait for a quorum of the voters it last saw), then serves REST. A node with an empty work
     * directory serves REST at once and forms its pool of one at the first request that needs a
     * pool; a node added to a pool before that joins it directly, with nothing of its own to undo.
     */
    public synchronized Gdd start() {
        Optional<String> kept = ensemble.resume();
        if (kept.isEmpty()) {
            if (config.get("store").filter(s -> !s.isEmpty()).isPresent()) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "the work directory " + settings.workdir()
                        + " was written by a gdd without ZooKeeper ensemble management",
                        "start from a new work directory (or remove its gdd.state and zookeeper/) and add the node again");
            }
            unpooled = true;
        } else {
            runtime = open(kept.get(), Tls.MEMBER);
            if (runtime.node().membership().record(id).isEmpty()) {
                if (!Boolean.parseBoolean(config.get(K_FOUNDER).orElse("false"))) {
                    runtime.close();
                    ensemble.close();
                    throw new GdException(ErrorCode.FAILED_PRECONDITION, "node " + id + " is not a member of the pool it was joining",
                            "remove " + settings.workdir() + "/gdd.state and add the node again");
                }
                runtime.node().bootstrap();
            }
            ensemble.attach(runtime.store());
        }
        daemons.start();
        rest = new RestServer(this, settings, metrics);
        rest.start();
        Runtime r = runtime;
        if (r != null) {
            r.store().put(Routes.restKey(id), settings.host() + ":" + rest.port());
        }
        LOG.info("gdd {} serving REST on {}:{}; {}", id, settings.host(), rest.port(), r != null ? "gRPC on " + r.node().address()
                : "not in a pool yet (formed at the first request that needs one, or joined when added)");
        return this;
    }

    /** Forms the pool of one of a node started empty, if it has not formed or joined one yet. */
    private synchronized Runtime formPoolOfOne() {
        if (runtime == null && unpooled) {
            Runtime r = bootstrapSelf();
            runtime = r;
            unpooled = false;
            r.store().put(Routes.restKey(id), settings.host() + ":" + rest.port());
            LOG.info("gdd {} formed its pool of one; gRPC on {}", id, r.node().address());
        }
        return runtime();
    }

    private Runtime bootstrapSelf() {
        config.put(K_FOUNDER, "true");
        config.put(K_USER, "gdd");
        config.put(K_PASSWORD, UUID.randomUUID().toString());
        // a pool of one starts from nothing: no leftovers of an earlier, unfinished bootstrap or join
        deleteTree(tlsDir());
        deleteTree(settings.workdir().resolve("node"));
        String connect = ensemble.bootstrap();
        Runtime r = open(connect, Tls.CREATE);
        r.node().bootstrap();
        ensemble.attach(r.store());
        return r;
    }

    /** Whether a node is no longer a member of this pool (removed, or never admitted): its vote is taken away. */
    private boolean leftThePool(String nodeId) {
        Runtime r = runtime;
        return r != null && !r.node().membership().isMember(NodeId.of(nodeId));
    }

    /** The store client, waiting up to the store wait for the voters to form a quorum (the others may start later). */
    private ZooKeeperClusterStore openStore(String connect) {
        long deadline = System.nanoTime() + settings.storeWait().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return ZooKeeperClusterStore.builder().connectString(connect).namespace(NAMESPACE)
                        .digestAuth(config.get(K_USER).orElseThrow(), config.get(K_PASSWORD).orElseThrow()).build();
            } catch (StoreUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw new StoreUnavailableException("the pool's ZooKeeper voters at " + connect + " did not form a quorum within "
                            + settings.storeWait().toSeconds() + " s: start the other voters of the pool (" + e.getMessage() + ")",
                            false, e);
                }
                if (attempt == 1) {
                    LOG.info("waiting for the pool's ZooKeeper voters at {} to form a quorum (up to {} s)", connect,
                            settings.storeWait().toSeconds());
                }
            }
        }
    }

    private Path tlsDir() {
        return settings.workdir().resolve("tls");
    }

    private void saveCredentials(NodeCredentials c) throws IOException {
        Files.createDirectories(tlsDir());
        Path key = tlsDir().resolve("node.key");
        Files.writeString(key, c.keyPem());
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tlsDir().resolve("node.crt"), c.certificatePem());
        Files.writeString(tlsDir().resolve("ca.crt"), c.caPem());
    }

    private NodeCredentials loadCredentials() throws IOException {
        if (!Files.isRegularFile(tlsDir().resolve("node.key"))) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "node " + id + " has no certificate in " + tlsDir(),
                    "restore the work directory, or remove " + settings.workdir() + "/gdd.state and add the node again");
        }
        return NodeCredentials.fromPem(id, Files.readString(tlsDir().resolve("node.key")),
                Files.readString(tlsDir().resolve("node.crt")), Files.readString(tlsDir().resolve("ca.crt")));
    }

    private Runtime open(String connect, Tls tls) {
        ZooKeeperClusterStore store = null;
        try {
            store = openStore(connect);
            VolumePlugin plugin = VolumePlugin.builder().workdir(settings.workdir()).volgen(GlusterVolgen.standard()).daemons(daemons).build();
            StoreSecurityStore security = new StoreSecurityStore(store);
            ClusterAuthority authority;
            TransportSecurity mode;
            switch (tls) {
                case CREATE -> {
                    authority = ClusterAuthority.create(UUID.randomUUID().toString(), security, Clock.systemUTC());
                    NodeCredentials creds = authority.issueCredentials(id);
                    saveCredentials(creds);
                    mode = TransportSecurity.mutualTls(creds);
                }
                case MEMBER -> {
                    authority = ClusterAuthority.open(security, Clock.systemUTC());
                    mode = TransportSecurity.mutualTls(loadCredentials());
                }
                default -> {
                    authority = ClusterAuthority.open(security, Clock.systemUTC());
                    mode = TransportSecurity.joining();
                }
            }
            GrpcTransport transport = GrpcTransport.builder().node(id).host(settings.host()).port(settings.peerPort())
                    .security(mode).authority(authority).build();
            Files.createDirectories(settings.workdir().resolve("node"));
            GdNode node = GdNode.builder().id(id).name(settings.host()).store(store).transport(transport).plugin(plugin)
                    .opVersions(OP_VERSIONS).events(events).callDeadline(Duration.ofSeconds(30)).localState(new FileLocalState(settings.workdir().resolve("node/state")))
                    .build().start();
            VolumeService volumes = VolumeService.builder().node(node).plugin(plugin).build();
            node.membership().onNodeDown(down -> publish("peer-down", Map.of("peer-id", down.value())));
            return new Runtime(store, node, plugin, volumes, transport, authority);
        } catch (IOException | RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e instanceof RuntimeException re ? re : new GdException(ErrorCode.INTERNAL, e.toString(), "");
        }
    }

    /** The member side of peer add: the invite this node sends to a fresh node so it joins this pool. */
    Invite invite() {
        Runtime r = runtime();
        String token = r.authority().issueToken(id, Duration.ofMinutes(10)).token().encode();
        return new Invite(ensemble.connectString(), config.get(K_USER).orElseThrow(), config.get(K_PASSWORD).orElseThrow(),
                r.node().address(), token);
    }

    /**
     * The invited side of peer add: leaves this node's own pool of one (refused when it has other
     * peers or volumes) and joins the inviting member's pool.
     */
    synchronized void join(Invite invite) {
        Runtime old = runtime;
        if (old == null && unpooled) {
            joinFresh(invite);
            return;
        }
        if (old == null) {
            throw new GdException(ErrorCode.STORE_UNAVAILABLE, "gdd is not started", "retry in a moment");
        }
        if (old.node().peers().size() > 1 || !old.volumes().list().isEmpty()) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "node " + settings.host() + " is already in a pool with "
                    + old.node().peers().size() + " peer(s) and " + old.volumes().list().size() + " volume(s)",
                    "remove it from its pool (and delete its volumes) before adding it to another");
        }
        if (List.of(invite.store().split(",")).contains(ensemble.clientAddress())) {
            throw GdException.invalid("node " + settings.host() + " was asked to join its own pool", "add another node");
        }
        ensemble.detach();
        old.close();
        runtime = null;
        enter(invite, true);
    }

    /** A node that never formed a pool joins without anything to take down first. */
    private void joinFresh(Invite invite) {
        if (List.of(invite.store().split(",")).contains(ensemble.clientAddress())) {
            throw GdException.invalid("node " + settings.host() + " was asked to join its own pool", "add another node");
        }
        enter(invite, false);
    }

    /**
     * Opens the invited pool's store and transport and joins through the inviting member. On
     * failure the node goes back to what it was: its own pool of one when it had one
     * ({@code hadPool}), else a node without a pool.
     */
    private void enter(Invite invite, boolean hadPool) {
        ensemble.joining(invite.store());
        deleteTree(settings.workdir().resolve("node"));
        deleteTree(tlsDir());
        config.put(K_FOUNDER, "false");
        config.put(K_USER, invite.user());
        config.put(K_PASSWORD, invite.password());
        try {
            Runtime r = open(invite.store(), Tls.JOIN);
            runtime = r;
            r.node().join(invite.member(), invite.token());
            saveCredentials(r.transport().credentials().orElseThrow(() -> new GdException(ErrorCode.JOIN_REFUSED,
                    "the join through " + invite.member() + " gave this node no certificate", "add the node again")));
            ensemble.attach(r.store());
            // the node is a member now; the pool's driving node places it in the ensemble in the background (a
            // voter: its server started, synced and added; or a client), so the next peer add need not wait for it
            LOG.info("node {} joined the pool of {}; ZooKeeper role so far {}", id, invite.member(), ensemble.status().role());
        } catch (IOException | RuntimeException e) {
            LOG.warn("join through {} failed ({}); back to {}", invite.member(), e.getMessage(), hadPool ? "a pool of one" : "no pool");
            ensemble.detach();
            Runtime half = runtime;
            runtime = null;
            if (half != null) {
                half.close();
            }
            deleteTree(settings.workdir().resolve("node"));
            if (hadPool) {
                runtime = bootstrapSelf();
            } else {
                ensemble.forget();
                deleteTree(tlsDir());
                unpooled = true;
            }
            throw e instanceof GdException ge ? ge : new GdException(ErrorCode.JOIN_REFUSED, "joining failed: " + e, "add the node again");
        }
    }

    /**
     * Waits until the pool's driving node has placed this node in the ensemble (a voter whose
     * server serves, or a client); false when the time ran out (the placement goes on).
     */
    boolean awaitEnsemble(Duration timeout) {
        return ensemble.awaitSettled(timeout);
    }

    /** What the ensemble controller last saw (tests and diagnostics). */
    dev.gdkit.zookeeper.ensemble.EnsembleStatus ensembleStatus() {
        return ensemble.status();
    }

    /** The node's pool; a node started empty forms its pool of one now. */
    Runtime runtime() {
        Runtime r = runtime;
        if (r == null && unpooled) {
            return formPoolOfOne();
        }
        if (r == null) {
            throw new GdException(ErrorCode.STORE_UNAVAILABLE, "gdd is not started", "retry in a moment");
        }
        return r;
    }

    /** The node's pool for background work, which never forms one: STORE_UNAVAILABLE until there is one. */
    Runtime pooledRuntime() {
        Runtime r = runtime;
        if (r == null) {
            throw new GdException(ErrorCode.STORE_UNAVAILABLE, unpooled ? "gdd is not in a pool yet" : "gdd is not started",
                    unpooled ? "add it to a pool, or send it a request that forms its pool of one" : "retry in a moment");
        }
        return r;
    }

    /** Whether the node has formed or joined a pool (false for a node started empty and not yet asked). */
    boolean pooled() {
        return runtime != null;
    }

    public NodeId id() {
        return id;
    }

    public GddSettings settings() {
        return settings;
    }

    public int restPort() {
        return rest.port();
    }

    /** The node-to-node gRPC address; for a node not in a pool yet, the address it will listen on. */
    public String peerAddress() {
        Runtime r = runtime;
        return r != null ? r.node().address() : settings.host() + ":" + settings.peerPort() + " (opens when the node forms or joins a pool)";
    }

    EventBus events() {
        return events;
    }

    Supervisor supervisor() {
        return supervisor;
    }

    BrickDaemons daemons() {
        return daemons;
    }

    Webhooks webhooks() {
        return webhooks;
    }

    void publish(String name, Map<String, String> data) {
        events.publish(new Event(UUID.randomUUID().toString(), name, data, id, Instant.now()));
    }

    /** Stops the node; bricks keep serving (the next start adopts them), as glusterd leaves them. */
    @Override
    public synchronized void close() {
        shutdown(false);
    }

    /** Stops the node and every process it supervises (tests, the demo). */
    public synchronized void closeAndStopDaemons() {
        shutdown(true);
    }

    private void shutdown(boolean stopDaemons) {
        if (rest != null) {
            rest.close();
        }
        daemons.close();
        if (stopDaemons) {
            supervisor.close();
        } else {
            supervisor.detach();
        }
        ensemble.detach();
        Runtime r = runtime;
        if (r != null) {
            r.close();
        }
        ensemble.close();
        webhooks.close();
        events.close();
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot delete " + p + ": " + e.getMessage(), "check the permissions");
        }
    }

    /** The pool's ZooKeeper voters as this node last saw them. */
    String storeConnect() {
        return ensemble.connectString();
    }
}
