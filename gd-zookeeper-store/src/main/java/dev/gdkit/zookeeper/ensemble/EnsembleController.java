package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.node.LocalState;
import dev.gdkit.core.store.Election;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.EnsembleConfig;
import dev.gdkit.zookeeper.embedded.JvmSuperUser;
import dev.gdkit.zookeeper.embedded.LoopbackPorts;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a pool's embedded ZooKeeper ensemble follow the pool's membership. One controller runs
 * on every node, next to the node's store client:
 *
 * <ul>
 *   <li>the first node of a pool runs one server, in quorum mode with dynamic reconfiguration on
 *       ({@link #bootstrap()}), so that voters can be added to it later;</li>
 *   <li>a node that joins a pool starts without a server ({@link #joining(String)}), registers in
 *       the store when {@linkplain #attach attached}, and is a client until the plan makes it a
 *       voter: then it starts its server with the current configuration plus itself, and the
 *       driving node adds it with a reconfiguration;</li>
 *   <li>the voters follow {@link EnsemblePlan}: the first three nodes in join order, five once the
 *       pool has five, 1 for one or two nodes; a voter whose node was removed from the pool, or is
 *       gone for good, is replaced by the next live node and then removed, one server per
 *       reconfiguration, additions before removals, never below a serving quorum
 *       ({@link EnsembleDriver});</li>
 *   <li>exactly one node drives the reconfigurations: the leader of the store election
 *       {@value EnsembleKeys#ELECTION}, in which only voters take part. It reconfigures through its
 *       own server as this JVM's ZooKeeper superuser ({@link JvmSuperUser}), and names the
 *       configuration version it planned from;</li>
 *   <li>every node keeps the last configuration it saw, its server id, ports and role in its
 *       {@link LocalState}, so a whole pool can restart from its work directories
 *       ({@link #resume()}), voters first or in any order, even when the first node is gone.</li>
 * </ul>
 *
 * <p><b>Gone for good</b>: a node is gone for good when its liveness key
 * ({@code PREFIX/alive/NODE}, an ephemeral of its store session) has been absent for
 * {@link Builder#goneAfter(Duration)} (default 30 s) without a break, as observed by the driving
 * node. The key vanishes when the node's store session ends (a clean stop at once, a crash after
 * the session timeout), so a crashed voter is replaced about session timeout + grace after the
 * crash. A node that comes back is a client again and is promoted when the plan needs it.
 *
 * <p>Store clients follow the configuration by themselves (Curator's ensemble tracker); the
 * controller only persists the voters' connect string for the next start.
 *
 * <p>Threads: one scheduled thread per attached controller runs every check; the methods used
 * before {@link #attach} are not meant to run concurrently with it.
 */
public final class EnsembleController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleController.class);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}");

    /**
     * The validated settings of a controller.
     *
     * @param nodeId the pool's id for this node (a store key segment)
     * @param host the address the node's server binds and clients use
     * @param clientPort the server's client port (0: a free port, chosen once and kept)
     * @param quorumPort the server's quorum port (0: likewise)
     * @param electionPort the server's leader election port (0: likewise)
     * @param baseDir the server's directory (data and generated configuration)
     * @param goneAfter how long a node's liveness key must be absent before the node is gone for good
     * @param candidateTimeout how long a candidate's server may take to follow the ensemble before it is passed over
     * @param checkInterval how often the controller checks
     * @param tickTime the servers' ZooKeeper tick
     * @param startTimeout how long a server start may take (and a bootstrap waits for its server)
     * @param keyPrefix where the controller's records live in the cluster store
     */
    public record Settings(String nodeId, String host, int clientPort, int quorumPort, int electionPort, Path baseDir,
                           Duration goneAfter, Duration candidateTimeout, Duration checkInterval, Duration tickTime,
                           Duration startTimeout, String keyPrefix) {
    }

    private final Settings settings;
    private final LocalEnsembleState local;
    private final NodeServer server;
    private final EnsembleKeys keys;
    private final Predicate<String> removedFromPool;
    private final String superPassword;
    private final Clock clock;
    private ScheduledExecutorService loop;
    /** Changes to the ensemble's keys (a node registering, a role set, a node's liveness) trigger a check at once. */
    private volatile dev.gdkit.core.store.Watch changes;
    private final java.util.concurrent.atomic.AtomicBoolean checkQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile ZooKeeperClusterStore store;
    private EnsembleDriver driver;
    private Election election;
    private EnsembleReconfigurer reconfigurer;
    private volatile EnsembleStatus status;
    private String lastProblem = "";

    private EnsembleController(Builder b, String superPassword) {
        this.settings = new Settings(b.nodeId, b.host, b.clientPort, b.quorumPort, b.electionPort, b.baseDir.toAbsolutePath().normalize(),
                b.goneAfter, b.candidateTimeout, b.checkInterval, b.tickTime, b.startTimeout, b.keyPrefix);
        this.local = new LocalEnsembleState(b.localState);
        this.server = new NodeServer(settings.baseDir(), b.tickTime, b.startTimeout);
        this.keys = new EnsembleKeys(b.keyPrefix);
        this.removedFromPool = b.removedFromPool;
        this.superPassword = superPassword;
        this.clock = b.clock;
        this.status = new EnsembleStatus(b.nodeId, Optional.empty(), local.config(), false, false, local.removed());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Settings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ before a store client exists

    /**
     * Starts a new pool of one: this node's server becomes server 1, the only voter, and serves
     * once this returns. Forgets any earlier pool (and deletes its server's data). Returns the
     * connect string for the store client.
     */
    public synchronized String bootstrap() {
        checkDetached("bootstrap");
        server.stopAndWipe();
        local.forgetPool();
        int[] ports = ports();
        EnsembleConfig cfg = new EnsembleConfig(0, List.of(new Member(1, settings.host(), ports[0], ports[1], ports[2])));
        server.start(1, cfg, true);
        local.serverId(1);
        local.config(cfg);
        local.voter(true);
        LOG.info("ensemble: node {} starts a new pool as voter 1 on {}", settings.nodeId(), cfg.connectString());
        return cfg.connectString();
    }

    /**
     * Restarts what the node had: its server if it was a voter (with the configuration it last saw,
     * at that version, without waiting for a quorum: the other voters may start later). Returns the
     * connect string kept from the last run, empty when the node never was in a pool.
     */
    public synchronized Optional<String> resume() {
        checkDetached("resume");
        Optional<EnsembleConfig> cfg = local.config();
        Optional<Integer> sid = local.serverId();
        if (!local.removed() && local.voter() && cfg.isPresent() && sid.isPresent() && cfg.get().contains(sid.get())) {
            server.start(sid.get(), cfg.get(), false);
            LOG.info("ensemble: node {} resumes as voter {} of {}", settings.nodeId(), sid.get(), cfg.get());
        }
        return local.connectString();
    }

    /**
     * Prepares to join another pool through the ensemble at {@code connectString}: stops this node's
     * server, deletes its data and forgets its pool; the ports stay. Attach once the node joined.
     */
    public synchronized void joining(String connectString) {
        checkDetached("join");
        checkConnectString(connectString);
        server.stopAndWipe();
        local.forgetPool();
        ports();
        local.connectString(connectString);
    }

    /**
     * Forgets a pool this node was joining and did not get into ({@link #joining(String)} without a
     * successful attach): its server stopped and wiped, no pool kept, so {@link #resume()} finds none.
     */
    public synchronized void forget() {
        checkDetached("forget");
        server.stopAndWipe();
        local.forgetPool();
    }

    // ------------------------------------------------------------------ with a store client

    /**
     * Starts controlling with {@code store} (a client of the pool's ensemble): runs a first check
     * at once, which registers the node if it has no record yet (so the join order is the order in
     * which nodes attach), then checks every {@link Builder#checkInterval(Duration)}. Trouble
     * reaching the store is logged and retried, never thrown.
     */
    public synchronized void attach(ZooKeeperClusterStore store) {
        if (this.store != null) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "the ensemble controller of node " + settings.nodeId()
                    + " is attached already", "detach it first");
        }
        this.store = store;
        this.driver = new EnsembleDriver(store, keys, settings.nodeId(), removedFromPool, settings.goneAfter(),
                settings.candidateTimeout(), clock);
        ScheduledThreadPoolExecutor l = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gd-ensemble-" + settings.nodeId());
            t.setDaemon(true);
            return t;
        });
        l.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        loop = l;
        long ms = settings.checkInterval().toMillis();
        try {
            l.submit(this::check).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("first ensemble check on node {} failed: {}", settings.nodeId(), e.getCause().toString());
        }
        l.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
        // the periodic check is the fallback; a change of the ensemble's keys is acted on at once
        try {
            changes = store.watch(keys.prefix(), e -> checkSoon());
        } catch (RuntimeException e) {
            LOG.warn("ensemble controller of {} watches nothing ({}); it checks every {} ms", settings.nodeId(), e.toString(), ms);
        }
    }

    /** Queues one check unless one is queued already. */
    private void checkSoon() {
        ScheduledExecutorService l = loop;
        if (l == null || l.isShutdown() || !checkQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            l.execute(() -> {
                checkQueued.set(false);
                check();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            checkQueued.set(false);
        }
    }

    /** Stops controlling and withdraws from the election; the node's server keeps running. Idempotent. */
    public synchronized void detach() {
        ScheduledExecutorService l = loop;
        if (l == null) {
            return;
        }
        dev.gdkit.core.store.Watch w = changes;
        changes = null;
        if (w != null) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing the ensemble watch of {}: {}", settings.nodeId(), e.toString());
            }
        }
        l.shutdownNow();
        try {
            if (!l.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("ensemble controller of {} did not stop within 30 s", settings.nodeId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        withdraw();
        loop = null;
        store = null;
    }

    /** Detaches and stops the node's server (its data stays). Idempotent. */
    @Override
    public synchronized void close() {
        detach();
        server.stop();
    }

    /**
     * Marks a node as removed from the pool: the driving node takes its server out of the
     * ensemble (promoting another node first when the plan says so) and then deletes its record.
     * Nothing happens for a node without a record.
     */
    public void removeNode(String nodeId) {
        ZooKeeperClusterStore st = attachedStore();
        checkNodeId(nodeId);
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned> v = st.get(keys.node(nodeId));
            if (v.isEmpty()) {
                return;
            }
            EnsembleNode n = Json.read(v.get().value(), EnsembleNode.class);
            if (n.removed()) {
                return;
            }
            try {
                st.update(v.get().key(), Json.write(n.asRemoved()), v.get().version());
                LOG.info("ensemble: node {} (server {}) marked removed", nodeId, n.serverId());
                wake();
                return;
            } catch (StoreConflictException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    /** What the controller saw at its last check. */
    public EnsembleStatus status() {
        return status;
    }

    /**
     * Waits until the driving node has placed this node and finished any promotion (see
     * {@link EnsembleStatus#settled()}); false when the time ran out (the controller keeps going).
     */
    public boolean awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status.settled() && status.record().isPresent() || status.removed()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The voters' connect string as last seen (empty before any pool). */
    public String connectString() {
        return local.connectString().orElse("");
    }

    /** This node's server address for clients, {@code host:clientPort} (ports chosen now if they were 0). */
    public synchronized String clientAddress() {
        return settings.host() + ":" + ports()[0];
    }

    // ------------------------------------------------------------------ the check

    private void wake() {
        ScheduledExecutorService l = loop;
        if (l != null && !l.isShutdown()) {
            try {
                l.execute(this::check);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping
            }
        }
    }

    private void check() {
        ZooKeeperClusterStore st = store;
        if (st == null) {
            return;
        }
        try {
            checkOnce(st);
            lastProblem = "";
        } catch (RuntimeException e) {
            ScheduledExecutorService l = loop;
            if (Thread.currentThread().isInterrupted() || l == null || l.isShutdown()) {
                LOG.debug("ensemble check on node {} stopped: {}", settings.nodeId(), e.toString());
                return;
            }
            String problem = String.valueOf(e.getMessage());
            if (!problem.equals(lastProblem)) {
                LOG.warn("ensemble check on node {} failed (retrying every {} ms): {}", settings.nodeId(),
                        settings.checkInterval().toMillis(), problem);
                LOG.debug("ensemble check failure", e);
                lastProblem = problem;
            }
        }
    }

    private void checkOnce(ZooKeeperClusterStore st) {
        if (local.removed()) {
            withdraw();
            status = new EnsembleStatus(settings.nodeId(), Optional.empty(), local.config(), server.running(), false, true);
            return;
        }
        EnsembleConfig cfg = EnsembleConfig.parse(st.ensembleConfig());
        if (!cfg.members().isEmpty()) {
            local.config(cfg);
        }
        Optional<Versioned> stored = st.get(keys.node(settings.nodeId()));
        EnsembleNode me;
        if (stored.isPresent()) {
            me = Json.read(stored.get().value(), EnsembleNode.class);
        } else if (local.registered()) {
            leavePool();
            return;
        } else {
            me = register(st, cfg);
        }
        ensureAlive(st);
        boolean inConfig = cfg.contains(me.serverId());
        if (me.role() == EnsembleRole.CANDIDATE || me.role() == EnsembleRole.VOTER || inConfig) {
            if (!server.running()) {
                EnsembleConfig start = inConfig ? cfg : cfg.joining(me.member());
                LOG.info("ensemble: node {} starts its server {} ({} of {})", settings.nodeId(), me.serverId(),
                        inConfig ? "voter" : "candidate", start);
                server.start(me.serverId(), start, false);
            }
        } else if (server.running()) {
            LOG.info("ensemble: node {} is a client; stopping its server {}", settings.nodeId(), me.serverId());
            withdraw();
            server.stopAndWipe();
        }
        boolean eligible = inConfig && server.running();
        local.voter(eligible);
        if (eligible && election == null) {
            election = st.session().elect(EnsembleKeys.ELECTION, settings.nodeId(), leader -> wake());
        } else if (!eligible) {
            withdraw();
        }
        boolean driving = election != null && election.isLeader();
        if (driving) {
            if (reconfigurer == null) {
                reconfigurer = new EnsembleReconfigurer(settings.host() + ":" + me.clientPort(), JvmSuperUser.USER, superPassword,
                        settings.startTimeout());
            }
            if (driver.reconcile(reconfigurer)) {
                // a candidate's server is starting: look again shortly rather than a whole interval later
                ScheduledExecutorService l = loop;
                if (l != null && !l.isShutdown()) {
                    try {
                        l.schedule(this::checkSoon, Math.min(100, settings.checkInterval().toMillis()), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        LOG.debug("ensemble loop of {} stopping", settings.nodeId());
                    }
                }
            }
        } else {
            closeReconfigurer();
            driver.reset();
        }
        status = new EnsembleStatus(settings.nodeId(), Optional.of(me), Optional.of(cfg), server.running(), driving, false);
    }

    private EnsembleNode register(ZooKeeperClusterStore st, EnsembleConfig cfg) {
        int[] ports = ports();
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned> seq = st.get(keys.sequence());
            long next = seq.map(v -> Long.parseLong(v.valueAsString()) + 1).orElse(1L);
            int sid = local.serverId().orElseGet(() -> freeServerId(st, cfg));
            EnsembleNode me = new EnsembleNode(settings.nodeId(), sid, next, settings.host(), ports[0], ports[1], ports[2],
                    cfg.contains(sid) ? EnsembleRole.VOTER : EnsembleRole.JOINING, false);
            byte[] seqValue = Long.toString(next).getBytes(StandardCharsets.UTF_8);
            List<StoreOp> ops = new ArrayList<>();
            ops.add(seq.isPresent() ? StoreOp.update(keys.sequence(), seqValue, seq.get().version()) : StoreOp.create(keys.sequence(), seqValue));
            ops.add(StoreOp.create(keys.id(sid), settings.nodeId()));
            ops.add(StoreOp.create(keys.node(settings.nodeId()), Json.write(me)));
            try {
                st.commit(ops);
            } catch (StoreConflictException e) {
                if (attempt >= 20) {
                    throw e;
                }
                continue;
            }
            local.serverId(sid);
            local.registered(true);
            LOG.info("ensemble: node {} registered as server {} (join {}, {})", settings.nodeId(), sid, next, me.role());
            return me;
        }
    }

    private int freeServerId(ZooKeeperClusterStore st, EnsembleConfig cfg) {
        Set<Integer> used = new HashSet<>(cfg.ids());
        for (Versioned v : st.children(keys.ids())) {
            used.add(Integer.parseInt(v.name()));
        }
        for (int id = 1; id <= 254; id++) {
            if (!used.contains(id)) {
                return id;
            }
        }
        throw new GdException(ErrorCode.FAILED_PRECONDITION, "all 254 ZooKeeper server ids are taken by the pool's nodes",
                "remove nodes that are gone from the pool");
    }

    private void ensureAlive(ZooKeeperClusterStore st) {
        String key = keys.alive(settings.nodeId());
        if (st.get(key).isEmpty()) {
            try {
                st.session().createEphemeral(key, st.session().id().getBytes(StandardCharsets.UTF_8));
            } catch (StoreConflictException e) {
                // created meanwhile
            }
        }
    }

    private void leavePool() {
        LOG.info("ensemble: node {} was removed from the pool; stopping its server", settings.nodeId());
        withdraw();
        server.stopAndWipe();
        local.voter(false);
        local.removed(true);
        status = new EnsembleStatus(settings.nodeId(), Optional.empty(), local.config(), false, false, true);
    }

    private void withdraw() {
        if (election != null) {
            try {
                election.close();
            } catch (RuntimeException e) {
                LOG.debug("withdrawing from the election failed: {}", e.toString());
            }
            election = null;
        }
        closeReconfigurer();
        if (driver != null) {
            driver.reset();
        }
    }

    private void closeReconfigurer() {
        if (reconfigurer != null) {
            reconfigurer.close();
            reconfigurer = null;
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The node's ports: kept ones, else the configured ones with 0 replaced by free ports; kept from then on. */
    private int[] ports() {
        int[] kept = local.ports();
        if (kept[0] > 0 && kept[1] > 0 && kept[2] > 0) {
            int[] wanted = {settings.clientPort(), settings.quorumPort(), settings.electionPort()};
            for (int i = 0; i < 3; i++) {
                if (wanted[i] != 0 && wanted[i] != kept[i]) {
                    LOG.warn("ensemble: node {} keeps its ports {}/{}/{} (client/quorum/election) from its state; the configured "
                            + "{}/{}/{} apply to a new node only", settings.nodeId(), kept[0], kept[1], kept[2], wanted[0], wanted[1],
                            wanted[2]);
                    break;
                }
            }
            return kept;
        }
        int[] free = LoopbackPorts.free(settings.host(), 3);
        int[] chosen = {settings.clientPort() != 0 ? settings.clientPort() : free[0],
            settings.quorumPort() != 0 ? settings.quorumPort() : free[1],
            settings.electionPort() != 0 ? settings.electionPort() : free[2]};
        local.ports(chosen[0], chosen[1], chosen[2]);
        return chosen;
    }

    private ZooKeeperClusterStore attachedStore() {
        ZooKeeperClusterStore st = store;
        if (st == null) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "the ensemble controller of node " + settings.nodeId() + " is not attached",
                    "attach it to the pool's store first");
        }
        return st;
    }

    private void checkDetached(String what) {
        if (store != null) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot " + what + " while the ensemble controller of node "
                    + settings.nodeId() + " is attached", "detach it first");
        }
    }

    private static void checkNodeId(String nodeId) {
        if (nodeId == null || nodeId.contains("/")) {
            throw invalid("node id '" + nodeId + "' is invalid", "give the node's id (one store key segment)");
        }
        try {
            StoreKeys.check(nodeId);
        } catch (GdException e) {
            throw invalid("node id '" + nodeId + "' is invalid", "use 1 to 200 of letters, digits and . _ : @ = + -");
        }
    }

    private static void checkConnectString(String connect) {
        if (connect == null || connect.isBlank()) {
            throw invalid("the connect string is empty", "give host:port[,host:port...]");
        }
        for (String hp : connect.split(",")) {
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || !HOST.matcher(hp.substring(0, colon)).matches() || !hp.substring(colon + 1).matches("[0-9]{1,5}")
                    || Integer.parseInt(hp.substring(colon + 1)) < 1 || Integer.parseInt(hp.substring(colon + 1)) > 65535) {
                throw invalid("connect string '" + connect + "' has an invalid entry '" + hp + "'", "each entry is host:port");
            }
        }
    }

    private static GdException invalid(String message, String remedy) {
        return new GdException(ErrorCode.INVALID_ARGUMENT, "ensemble controller: " + message, remedy);
    }

    @Override
    public String toString() {
        return "EnsembleController[" + settings.nodeId() + " " + status.role() + "]";
    }

    /** Configures an {@link EnsembleController}; {@code nodeId}, {@code baseDir} and {@code localState} are required. */
    public static final class Builder {
        private String nodeId;
        private String host = "127.0.0.1";
        private int clientPort = 2181;
        private int quorumPort = 2888;
        private int electionPort = 3888;
        private Path baseDir;
        private LocalState localState;
        private Duration goneAfter = Duration.ofSeconds(30);
        private Duration candidateTimeout = Duration.ofSeconds(60);
        private Duration checkInterval = Duration.ofSeconds(1);
        private Duration tickTime = Duration.ofSeconds(2);
        private Duration startTimeout = Duration.ofSeconds(30);
        private String keyPrefix = "ensemble";
        private Predicate<String> removedFromPool = id -> false;
        private String superPassword;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The pool's id for this node (one store key segment). Required. */
        public Builder nodeId(String nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        /** The address the node's server binds and other nodes reach it at; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The server's client port (default 2181; 0: a free port, chosen once and kept in the local state). */
        public Builder clientPort(int port) {
            this.clientPort = port;
            return this;
        }

        /** The server's quorum port (default 2888; 0: likewise). */
        public Builder quorumPort(int port) {
            this.quorumPort = port;
            return this;
        }

        /** The server's leader election port (default 3888; 0: likewise). */
        public Builder electionPort(int port) {
            this.electionPort = port;
            return this;
        }

        /** The server's directory (data and generated configuration), for example {@code <workdir>/zookeeper}. Required. */
        public Builder baseDir(Path dir) {
            this.baseDir = dir;
            return this;
        }

        /** Where the node keeps its server id, ports and the last configuration it saw. Required. */
        public Builder localState(LocalState state) {
            this.localState = state;
            return this;
        }

        /** How long a node's liveness key must be absent before it is gone for good; default 30 s. */
        public Builder goneAfter(Duration d) {
            this.goneAfter = d;
            return this;
        }

        /** How long a candidate's server may take to follow the ensemble before it is passed over; default 60 s. */
        public Builder candidateTimeout(Duration d) {
            this.candidateTimeout = d;
            return this;
        }

        /** How often the controller checks; default 1 s. */
        public Builder checkInterval(Duration d) {
            this.checkInterval = d;
            return this;
        }

        /** The servers' ZooKeeper tick (sessions last 2 to 20 ticks); default 2 s. */
        public Builder tickTime(Duration d) {
            this.tickTime = d;
            return this;
        }

        /** How long a server start may take; default 30 s. */
        public Builder startTimeout(Duration d) {
            this.startTimeout = d;
            return this;
        }

        /** Where the controller's records live in the cluster store; default {@code ensemble}. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * Tells whether a node has left the pool (for example a peer removal recorded by the
         * host's membership); such a node is treated like one marked by {@link #removeNode}.
         */
        public Builder removedWhen(Predicate<String> removed) {
            this.removedFromPool = removed;
            return this;
        }

        /**
         * The password of this JVM's ZooKeeper superuser. Needed only when the superuser digest
         * property was set outside gd-kit; by default {@link JvmSuperUser} chooses it.
         */
        public Builder superPassword(String password) {
            this.superPassword = password;
            return this;
        }

        /** The clock for the gone-for-good and candidate timers (tests). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Validates the settings; nothing is created or started. */
        public EnsembleController build() {
            checkNodeId(nodeId);
            if (host == null || !HOST.matcher(host).matches() || host.equals("0.0.0.0")) {
                throw invalid("host '" + host + "' is not a concrete address", "give this machine's address, for example 127.0.0.1");
            }
            int[] ports = {clientPort, quorumPort, electionPort};
            String[] names = {"client", "quorum", "election"};
            for (int i = 0; i < 3; i++) {
                if (ports[i] < 0 || ports[i] > 65535) {
                    throw invalid(names[i] + " port " + ports[i] + " is out of range", "use 1 to 65535, or 0 for a free port");
                }
                for (int j = 0; j < i; j++) {
                    if (ports[i] != 0 && ports[i] == ports[j]) {
                        throw invalid(names[j] + " and " + names[i] + " port are both " + ports[i], "give three different ports");
                    }
                }
            }
            if (baseDir == null) {
                throw invalid("baseDir is missing", "give the server's directory, for example <workdir>/zookeeper");
            }
            if (localState == null) {
                throw invalid("localState is missing", "give the node's durable local state");
            }
            checkDuration("goneAfter", goneAfter, Duration.ofMillis(1));
            checkDuration("candidateTimeout", candidateTimeout, Duration.ofMillis(1));
            checkDuration("checkInterval", checkInterval, Duration.ofMillis(10));
            checkDuration("startTimeout", startTimeout, Duration.ofMillis(1));
            if (tickTime == null || tickTime.toMillis() < 10 || tickTime.toMillis() > 60_000) {
                throw invalid("tickTime " + tickTime + " is out of range", "use 10 ms to 60 s");
            }
            try {
                StoreKeys.check(keyPrefix);
            } catch (GdException e) {
                throw invalid("key prefix '" + keyPrefix + "' is invalid", e.remedy());
            }
            if (removedFromPool == null || clock == null) {
                throw invalid("removedWhen and clock must not be null", "leave them unset for the defaults");
            }
            if (superPassword != null && superPassword.isEmpty()) {
                throw invalid("the superuser password is empty", "give the password, or leave it unset");
            }
            return new EnsembleController(this, superPassword != null ? superPassword : JvmSuperUser.password());
        }

        private static void checkDuration(String what, Duration d, Duration min) {
            if (d == null || d.compareTo(min) < 0 || d.toMillis() > Integer.MAX_VALUE) {
                throw invalid(what + " " + d + " is out of range", "give at least " + min.toMillis() + " ms");
            }
        }
    }
}
