package dev.gdkit.core.node;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.core.event.EventSink;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.membership.ClusterInfo;
import dev.gdkit.core.membership.Membership;
import dev.gdkit.core.membership.PeerRecord;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.opversion.ClusterVersions;
import dev.gdkit.core.opversion.OpVersionPolicy;
import dev.gdkit.core.plugin.Plugin;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.StepRegistry;
import dev.gdkit.core.transaction.TransactionEngine;
import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.core.transport.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One management node assembled from parts: a store client, a transport, steps and plugins. Start
 * it, then either {@link #bootstrap()} a new cluster or {@link #join(String)} one through any
 * member. Nothing here is global: many nodes can live in one JVM.
 *
 * <pre>{@code
 * GdNode node = GdNode.builder()
 *     .id(NodeId.of("n1"))
 *     .store(storeClient)
 *     .transport(transport)
 *     .step(Step.of("demo.touch", ctx -> touch(ctx), ctx -> untouch(ctx)))
 *     .build();
 * node.start();
 * node.bootstrap();
 * node.transactions().execute(Transaction.builder("demo").lock("volume:v1").step("demo.touch", node.id()).build());
 * }</pre>
 */
public final class GdNode implements AutoCloseable {
    /** The node-to-node protocol this release speaks. */
    public static final int PROTOCOL_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(GdNode.class);

    private final NodeId id;
    private final String name;
    private final ClusterStore store;
    private final Transport transport;
    private final StepRegistry registry = new StepRegistry();
    private final OpVersionRange supported;
    private final OpVersionPolicy policy;
    private final EventSink events;
    private final Membership membership;
    private final TransactionEngine engine;
    private final Duration callDeadline;
    private final int protocolVersion;
    private final int minProtocolVersion;
    private final LocalState localState;
    private final JoinRetry joinRetry;
    private final java.util.Random random = new java.util.Random();
    private final ClusterVersions versions;
    private final java.util.Map<String, java.util.concurrent.CompletableFuture<String>> invites =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile dev.gdkit.core.store.Watch infoWatch;
    private final List<Consumer<Notification>> notificationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean engineStarted = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile OpVersion current;
    private volatile String address;

    private GdNode(Builder b) {
        this.id = b.id;
        this.name = b.name == null ? b.id.value() : b.name;
        this.store = b.store;
        this.transport = b.transport;
        this.supported = b.supported;
        this.policy = b.policy;
        this.events = b.events;
        this.callDeadline = b.callDeadline;
        this.protocolVersion = b.protocolVersion;
        this.minProtocolVersion = b.minProtocolVersion;
        this.localState = b.localState;
        this.joinRetry = b.joinRetry;
        this.current = restoreOpVersion(b.localState, b.supported, b.id);
        for (Step s : b.steps) {
            registry.register(s);
        }
        for (Plugin p : b.plugins) {
            p.steps().forEach(registry::register);
        }
        this.membership = new Membership(store, id);
        this.versions = new ClusterVersions(store, policy);
        TransactionEngine.Builder eb = TransactionEngine.builder().self(id).store(store).transport(transport)
                .membership(membership).registry(registry).lockWait(b.lockWait).stepDeadline(b.stepDeadline)
                .recoveryInterval(b.recoveryInterval).undoAttempts(b.undoAttempts).undoBackoff(b.undoBackoff)
                .observer(b.observer);
        this.engine = eb.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parts and settings of a node. */
    public static final class Builder {
        private NodeId id;
        private String name;
        private ClusterStore store;
        private Transport transport;
        private final List<Step> steps = new ArrayList<>();
        private final List<Plugin> plugins = new ArrayList<>();
        private OpVersionRange supported = OpVersionRange.of(1, 1);
        private OpVersionPolicy policy = OpVersionPolicy.followUsage();
        private EventSink events = EventSink.none();
        private Duration lockWait = Duration.ofSeconds(30);
        private Duration stepDeadline = Duration.ofSeconds(60);
        private Duration recoveryInterval = Duration.ofSeconds(5);
        private Duration callDeadline = Duration.ofSeconds(10);
        private Duration undoBackoff = Duration.ofMillis(100);
        private int undoAttempts = 3;
        private int protocolVersion = PROTOCOL_VERSION;
        private int minProtocolVersion = PROTOCOL_VERSION;
        private LocalState localState = new InMemoryLocalState();
        private JoinRetry joinRetry = JoinRetry.NONE;
        private dev.gdkit.core.transaction.TransactionObserver observer = dev.gdkit.core.transaction.TransactionObserver.NONE;

        public Builder observer(dev.gdkit.core.transaction.TransactionObserver observer) {
            this.observer = observer;
            return this;
        }

        public Builder id(NodeId id) {
            this.id = id;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder store(ClusterStore store) {
            this.store = store;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder step(Step step) {
            steps.add(step);
            return this;
        }

        public Builder steps(List<Step> more) {
            steps.addAll(more);
            return this;
        }

        public Builder plugin(Plugin plugin) {
            plugins.add(plugin);
            return this;
        }

        /** The op-versions this node can run (default [1, 1]). */
        public Builder opVersions(OpVersionRange range) {
            this.supported = range;
            return this;
        }

        public Builder opVersionPolicy(OpVersionPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder events(EventSink sink) {
            this.events = sink;
            return this;
        }

        public Builder lockWait(Duration d) {
            this.lockWait = d;
            return this;
        }

        public Builder stepDeadline(Duration d) {
            this.stepDeadline = d;
            return this;
        }

        public Builder recoveryInterval(Duration d) {
            this.recoveryInterval = d;
            return this;
        }

        public Builder undoAttempts(int n) {
            this.undoAttempts = n;
            return this;
        }

        public Builder undoBackoff(Duration d) {
            this.undoBackoff = d;
            return this;
        }

        /** Deadline of join and notification calls (default 10 s). */
        public Builder callDeadline(Duration d) {
            this.callDeadline = d;
            return this;
        }

        /**
         * The node-to-node protocols this node speaks, oldest to newest (default both
         * {@link #PROTOCOL_VERSION}). It joins announcing the newest; it admits joiners speaking any.
         */
        public Builder protocols(int oldest, int newest) {
            if (oldest < 1 || newest < oldest) {
                throw GdException.invalid("protocol range [" + oldest + ", " + newest + "] is invalid",
                        "use 1 <= oldest <= newest");
            }
            this.minProtocolVersion = oldest;
            this.protocolVersion = newest;
            return this;
        }

        /** Where the node keeps its own durable state (default: in memory, forgotten on restart). */
        public Builder localState(LocalState state) {
            this.localState = state;
            return this;
        }

        /** Retrying a join the cluster refuses for its protocol (default: no retry). */
        public Builder joinRetry(JoinRetry retry) {
            this.joinRetry = retry;
            return this;
        }

        public GdNode build() {
            if (id == null) {
                throw GdException.invalid("a node needs an id", "call builder().id(NodeId.of(...))");
            }
            if (store == null) {
                throw GdException.invalid("node " + id + " needs a cluster store", "call builder().store(...)");
            }
            if (transport == null) {
                throw GdException.invalid("node " + id + " needs a transport", "call builder().transport(...)");
            }
            return new GdNode(this);
        }
    }

    /** The key of the node's current op-version in its {@link LocalState}. */
    public static final String OP_VERSION_KEY = "operating-version";

    private static OpVersion restoreOpVersion(LocalState state, OpVersionRange supported, NodeId id) {
        Optional<String> stored = state.get(OP_VERSION_KEY);
        if (stored.isEmpty()) {
            return supported.min();
        }
        int v;
        try {
            v = Integer.parseInt(stored.get().trim());
        } catch (NumberFormatException e) {
            throw new GdException(ErrorCode.INTERNAL, "node " + id + " has a corrupt stored op-version '" + stored.get() + "'",
                    "restore the node's state file from a backup");
        }
        if (v > supported.max().value()) {
            throw new GdException(ErrorCode.OP_VERSION_INCOMPATIBLE, "node " + id + " has already run at op-version " + v
                    + " but this release supports only " + supported, "start a release that supports op-version " + v);
        }
        return OpVersion.max(OpVersion.of(Math.max(1, v)), supported.min());
    }

    /**
     * Serves the transport and starts watching the store. A node that is already a member (a
     * restart) takes its place again at once: it checks that it can run the cluster's op-version
     * (refused with both versions otherwise), re-registers, announces liveness and recovers its own
     * unfinished transactions. A new node then has to {@link #bootstrap()} or {@link #join(String)}.
     */
    public GdNode start() {
        address = transport.start(new Handler());
        membership.start();
        Optional<PeerRecord> mine = membership.record(id).filter(r -> r.state() != PeerState.LEFT);
        if (mine.isPresent()) {
            OpVersion cluster = membership.clusterOpVersion();
            try {
                policy.checkJoin(cluster, supported, name);
            } catch (GdException e) {
                transport.close();
                membership.close();
                throw new GdException(e.code(), "node " + name + " cannot rejoin: " + e.getMessage(), e.remedy());
            }
            raiseCurrent(cluster);
            becomeMember();
        }
        return this;
    }

    /** Makes this node the first member of a new cluster (idempotent when it already is one). */
    public ClusterInfo bootstrap() {
        ClusterInfo info = membership.bootstrap(UUID.randomUUID().toString(), current);
        raiseCurrent(OpVersion.of(info.opVersion()));
        becomeMember();
        events.publish(event("peer-added", Map.of("peer-id", id.value(), "name", name)));
        return info;
    }

    /**
     * Joins the cluster that the member at {@code memberAddress} belongs to: the three-way handshake
     * (our range and version; the cluster checks and acknowledges with its version; we raise ours to
     * it, never lowering it). Refusals come back as {@link ErrorCode#JOIN_REFUSED} or
     * {@link ErrorCode#OP_VERSION_INCOMPATIBLE} with both sides' versions.
     */
    public JoinReply join(String memberAddress) {
        return join(memberAddress, "");
    }

    /**
     * Joins with a one-time join token issued by a member (required by secure transports, which
     * check it before admitting the node and signing its certificate).
     */
    public JoinReply join(String memberAddress, String token) {
        for (int attempt = 1; ; attempt++) {
            try {
                return joinOnce(memberAddress, token);
            } catch (GdException e) {
                boolean retryable = e.code() == ErrorCode.PROTOCOL_UNSUPPORTED || e.code() == ErrorCode.NODE_UNREACHABLE;
                if (!retryable || attempt >= joinRetry.attempts()) {
                    throw e;
                }
                java.time.Duration wait = joinRetry.backoff(attempt + 1, random);
                LOG.info("join not possible yet ({}); retry {} of {} in {} ms", e.getMessage(), attempt + 1,
                        joinRetry.attempts(), wait.toMillis());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private JoinReply joinOnce(String memberAddress, String token) {
        JoinRequest req = new JoinRequest(id, name, List.of(address), protocolVersion, supported.min(), supported.max(),
                current, token == null ? "" : token, Map.of());
        JoinReply reply;
        try {
            reply = transport.join(memberAddress, req, callDeadline).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof GdException ge ? ge
                    : new GdException(ErrorCode.INTERNAL, "join via " + memberAddress + " failed: " + e.getCause(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GdException(ErrorCode.INTERNAL, "interrupted while joining", "retry");
        }
        raiseCurrent(reply.clusterOpVersion());
        becomeMember();
        return reply;
    }

    /**
     * Adds the node listening at {@code address} to this node's cluster (GlusterFS's peer probe):
     * invites it, and waits until it has joined through this node. The invited node must be
     * started and not yet a member. Its refusal, if any, comes back as this call's error.
     */
    public dev.gdkit.api.model.Peer addPeer(String address, java.time.Duration wait) {
        if (address.equals(this.address)) {
            throw GdException.invalid("cannot add " + address + ": it is this node", "add another node's address");
        }
        Optional<dev.gdkit.api.model.Peer> known = membership.peers().stream()
                .filter(p -> p.addresses().contains(address) && p.state() != PeerState.LEFT).findFirst();
        if (known.isPresent()) {
            return known.get();
        }
        java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
        invites.put(address, outcome);
        try {
            transport.notify(address, new Notification(INVITE, id, Map.of("member", this.address)), callDeadline).get();
            String error = outcome.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!error.isEmpty()) {
                throw new GdException(ErrorCode.JOIN_REFUSED, "node at " + address + " could not join: " + error,
                        "fix what the message says on that node and add it again");
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new GdException(ErrorCode.NODE_UNREACHABLE, "node at " + address + " did not join within " + wait.toMillis()
                    + " ms", "check that gd-kit is running there and can reach this node");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof GdException ge ? ge
                    : new GdException(ErrorCode.INTERNAL, "inviting " + address + " failed: " + e.getCause(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GdException(ErrorCode.INTERNAL, "interrupted while adding " + address, "retry");
        } finally {
            invites.remove(address);
        }
        return membership.peers().stream().filter(p -> p.addresses().contains(address)).findFirst()
                .orElseThrow(() -> new GdException(ErrorCode.INTERNAL, "node at " + address + " joined but is not listed", ""));
    }

    /** Notification topics of the peer-add handshake. */
    static final String INVITE = "gd.invite";
    static final String INVITE_RESULT = "gd.invite-result";

    private void onInvite(Notification n) {
        String member = n.data().get("member");
        if (member == null || membership.record(id).filter(r -> r.state() != PeerState.LEFT).isPresent()) {
            return;
        }
        String error = "";
        try {
            join(member);
        } catch (GdException e) {
            error = e.getMessage() + (e.remedy().isEmpty() ? "" : " (" + e.remedy() + ")");
        } catch (RuntimeException e) {
            error = e.toString();
        }
        transport.notify(member, new Notification(INVITE_RESULT, id, Map.of("address", address, "error", error)), callDeadline);
    }

    /** Raises the node's current op-version (never lowers it) and persists it. */
    private synchronized void raiseCurrent(OpVersion cluster) {
        if (cluster.compareTo(current) > 0) {
            current = cluster;
        }
        localState.put(OP_VERSION_KEY, Integer.toString(current.value()));
    }

    private void becomeMember() {
        membership.register(record(PeerState.CONNECTED));
        membership.announceAlive();
        if (engineStarted.compareAndSet(false, true)) {
            engine.start();
            infoWatch = store.watch(StoreLayout.CLUSTER_INFO, e -> {
                if (e.type() != dev.gdkit.core.store.StoreEvent.Type.DELETED) {
                    OpVersion cluster = OpVersion.of(Json.read(e.value(), ClusterInfo.class).opVersion());
                    if (cluster.compareTo(current) > 0) {
                        raiseCurrent(cluster);
                        try {
                            membership.register(record(PeerState.CONNECTED));
                        } catch (GdException ex) {
                            LOG.warn("could not record op-version {} in this node's peer record: {}", cluster, ex.getMessage());
                        }
                    }
                }
            });
        }
    }

    private PeerRecord record(PeerState state) {
        return new PeerRecord(id.value(), name, List.of(address), supported.min().value(), supported.max().value(),
                current.value(), registry.names(), state);
    }

    public NodeId id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The transport address others reach this node on. */
    public String address() {
        return address;
    }

    public OpVersion currentOpVersion() {
        return current;
    }

    public OpVersionRange supportedOpVersions() {
        return supported;
    }

    /** Every peer with its state: CONNECTED (session alive), UNREACHABLE (session lost) or LEFT. */
    public List<dev.gdkit.api.model.Peer> peers() {
        return membership.peers();
    }

    /** {@code cluster.op-version}: the version the whole pool runs. */
    public OpVersion clusterOpVersion() {
        return versions.read().clusterVersion();
    }

    /** {@code cluster.max-op-version}: the highest version every member supports (the lowest maximum). */
    public OpVersion maxOpVersion() {
        return versions.read().maxOpVersion();
    }

    /**
     * {@code volume set all cluster.op-version N}: raises the cluster's op-version explicitly.
     * Refused, with nothing changed: a value that is not a whole number, one that is not above the
     * current version, and one some member cannot run (naming those members).
     */
    public OpVersion setClusterOpVersion(String value) {
        String v = value == null ? "" : value.trim();
        if (!v.matches("[0-9]{1,9}")) {
            throw GdException.invalid("cluster.op-version must be a whole number such as 100000, got '" + value + "'",
                    "give the op-version as digits only; 'volume get all cluster.max-op-version' shows the highest allowed");
        }
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw GdException.invalid("cluster.op-version must be at least 1, got '" + value + "'",
                    "'volume get all cluster.max-op-version' shows the highest allowed");
        }
        OpVersion target = OpVersion.of(n);
        dev.gdkit.core.transaction.TransactionResult r = engine.execute(dev.gdkit.core.transaction.Transaction
                .builder("cluster-op-version-set").lock("cluster:op-version").context("target", v).commit(ctx -> {
                    ClusterVersions.Snapshot s = versions.read();
                    if (target.compareTo(s.clusterVersion()) <= 0) {
                        throw GdException.invalid("required op-version " + target + " is not above the cluster's current op-version "
                                + s.clusterVersion(), policy.allowsExplicitLowering() ? "give a higher version"
                                : "the op-version is never lowered explicitly; give a version above " + s.clusterVersion());
                    }
                    return versions.requireAtLeast(s, target, "cluster.op-version " + target);
                }).build());
        r.orThrow();
        return target;
    }

    /**
     * Removes a peer from the pool (GlusterFS's peer detach). Refused when it hosts bricks (naming
     * the volumes), when it is this node, or when it is not a member. The removed node refuses to
     * run steps from then on.
     */
    public void removePeer(NodeId peer) {
        if (peer.equals(id)) {
            throw GdException.invalid("node " + name + " cannot remove itself", "ask another member to remove it");
        }
        dev.gdkit.core.transaction.TransactionResult r = engine.execute(dev.gdkit.core.transaction.Transaction
                .builder("peer-remove").lock("peer:" + peer.value()).commit(ctx -> {
                    dev.gdkit.core.store.Versioned v = store.get(StoreLayout.peer(peer.value()))
                            .filter(x -> Json.read(x.value(), PeerRecord.class).state() != PeerState.LEFT)
                            .orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "node " + peer + " is not a member of this cluster",
                                    "list the peers to see the members' ids"));
                    List<String> hosting = volumesWithBricksOn(peer);
                    if (!hosting.isEmpty()) {
                        throw new GdException(ErrorCode.FAILED_PRECONDITION, "peer " + peer + " hosts bricks of volume(s) "
                                + String.join(", ", hosting), "move its bricks away first (replace-brick or remove-brick), "
                                + "or delete those volumes, then remove the peer");
                    }
                    PeerRecord left = Json.read(v.value(), PeerRecord.class).withState(PeerState.LEFT);
                    return List.of(dev.gdkit.core.store.StoreOp.update(StoreLayout.peer(peer.value()), Json.write(left), v.version()));
                }).build());
        r.orThrow();
        // this node's view reads its own write: the removed peer is no target from here on
        membership.freshRecord(peer);
        events.publish(event("peer-removed", Map.of("peer-id", peer.value())));
    }

    private List<String> volumesWithBricksOn(NodeId peer) {
        List<String> out = new ArrayList<>();
        for (dev.gdkit.core.store.Versioned v : store.children(VOLUMES)) {
            dev.gdkit.api.model.Volume vol = Json.read(v.value(), dev.gdkit.api.model.Volume.class);
            if (vol.bricks().stream().anyMatch(b -> b.node().equals(peer))) {
                out.add(vol.name());
            }
        }
        return out;
    }

    /** {@code volumes/<name>}: one key per volume holding the {@link dev.gdkit.api.model.Volume} as JSON. */
    public static final String VOLUMES = "volumes";

    /** The cluster's op-version: reads, raises and the usage index. */
    public ClusterVersions versions() {
        return versions;
    }

    public TransactionEngine transactions() {
        return engine;
    }

    public Membership membership() {
        return membership;
    }

    public ClusterStore store() {
        return store;
    }

    public StepRegistry steps() {
        return registry;
    }

    /** Listens to notifications other nodes send this node. */
    public void onNotification(Consumer<Notification> listener) {
        notificationListeners.add(listener);
    }

    /** Stops the node: engine, watches, transport and store client. Its liveness key vanishes. */
    @Override
    public void close() {
        if (infoWatch != null) {
            infoWatch.close();
        }
        engine.close();
        membership.close();
        transport.close();
        store.close();
    }

    private Event event(String name, Map<String, String> data) {
        return new Event(UUID.randomUUID().toString(), name, data, id, Instant.now());
    }

    private final class Handler implements InboundHandler {
        @Override
        public JoinReply join(JoinRequest r) {
            org.slf4j.MDC.put("node", id.value());
            try {
                return admit(r);
            } finally {
                org.slf4j.MDC.remove("node");
            }
        }

        private JoinReply admit(JoinRequest r) {
            if (r.protocolVersion() < minProtocolVersion || r.protocolVersion() > protocolVersion) {
                boolean newer = r.protocolVersion() > protocolVersion;
                throw new GdException(newer ? ErrorCode.PROTOCOL_UNSUPPORTED : ErrorCode.JOIN_REFUSED, "node " + r.name()
                        + " speaks node protocol " + r.protocolVersion() + " but member " + name + " speaks protocols "
                        + minProtocolVersion + " to " + protocolVersion,
                        newer ? "upgrade the cluster's members first; the node may retry until they speak protocol " + r.protocolVersion()
                                : "upgrade node " + r.name() + " to a release that speaks protocol " + minProtocolVersion + " or newer");
            }
            Optional<PeerRecord> existing = membership.freshRecord(r.joiner());
            if (existing.isPresent() && existing.get().state() != PeerState.LEFT
                    && !existing.get().addresses().equals(r.addresses()) && membership.isAliveInStore(r.joiner())) {
                throw new GdException(ErrorCode.ALREADY_EXISTS, "a live member already has id " + r.joiner()
                        + " at " + existing.get().addresses(), "give the new node its own id");
            }
            for (int attempt = 0; ; attempt++) {
                ClusterVersions.Snapshot s = versions.read();
                OpVersion clusterVersion = s.clusterVersion();
                policy.checkJoin(clusterVersion, new OpVersionRange(r.minOpVersion(), r.maxOpVersion()), r.name());
                PeerRecord joiner = new PeerRecord(r.joiner().value(), r.name(), r.addresses(), r.minOpVersion().value(),
                        r.maxOpVersion().value(), OpVersion.max(r.currentOpVersion(), clusterVersion).value(), null,
                        PeerState.CONNECTED);
                try {
                    // re-writing cluster/info (same content) makes a concurrent op-version raise, which read the
                    // members before this one was admitted, fail its compare-and-set and look again
                    store.commit(List.of(s.setVersion(clusterVersion), dev.gdkit.core.store.StoreOp.put(
                            StoreLayout.peer(r.joiner().value()), Json.write(joiner))));
                } catch (dev.gdkit.core.store.StoreConflictException e) {
                    if (attempt < 5) {
                        continue;
                    }
                    throw e;
                }
                LOG.info("node {} ({}) joined through {}", r.joiner(), r.name(), id);
                events.publish(event("peer-added", Map.of("peer-id", r.joiner().value(), "name", r.name())));
                return new JoinReply(s.info().clusterId(), clusterVersion, protocolVersion, Map.of());
            }
        }

        @Override
        public StepReply runStep(StepCall call) {
            return engine.handleRun(call);
        }

        @Override
        public StepReply undoStep(StepCall call) {
            return engine.handleUndo(call);
        }

        @Override
        public void notify(Notification n) {
            if (n.topic().equals(INVITE)) {
                java.util.concurrent.CompletableFuture.runAsync(() -> onInvite(n));
                return;
            }
            if (n.topic().equals(INVITE_RESULT)) {
                java.util.concurrent.CompletableFuture<String> f = invites.get(n.data().getOrDefault("address", ""));
                if (f != null) {
                    f.complete(n.data().getOrDefault("error", ""));
                }
                return;
            }
            for (Consumer<Notification> l : notificationListeners) {
                l.accept(n);
            }
        }
    }
}
