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
        this.current = b.supported.min();
        for (Step s : b.steps) {
            registry.register(s);
        }
        for (Plugin p : b.plugins) {
            p.steps().forEach(registry::register);
        }
        this.membership = new Membership(store, id);
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

        /** The node-to-node protocol version to announce (tests use it to simulate old releases). */
        public Builder protocolVersion(int v) {
            this.protocolVersion = v;
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

    /**
     * Serves the transport and starts watching the store. A node that is already a member (a
     * restart) takes its place again at once: it re-registers, announces liveness and recovers its
     * own unfinished transactions. A new node then has to {@link #bootstrap()} or {@link #join(String)}.
     */
    public GdNode start() {
        address = transport.start(new Handler());
        membership.start();
        membership.record(id).filter(r -> r.state() != PeerState.LEFT).ifPresent(r -> {
            current = OpVersion.max(current, OpVersion.of(r.currentOpVersion()));
            becomeMember();
        });
        return this;
    }

    /** Makes this node the first member of a new cluster (idempotent when it already is one). */
    public ClusterInfo bootstrap() {
        ClusterInfo info = membership.bootstrap(UUID.randomUUID().toString(), current);
        current = OpVersion.max(current, OpVersion.of(info.opVersion()));
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
        JoinRequest req = new JoinRequest(id, name, List.of(address), protocolVersion, supported.min(), supported.max(),
                current, "", Map.of());
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
        if (reply.clusterOpVersion().compareTo(current) > 0) {
            current = reply.clusterOpVersion();
        }
        becomeMember();
        return reply;
    }

    private void becomeMember() {
        membership.register(record(PeerState.CONNECTED));
        membership.announceAlive();
        if (engineStarted.compareAndSet(false, true)) {
            engine.start();
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
            if (r.protocolVersion() != protocolVersion) {
                throw new GdException(ErrorCode.JOIN_REFUSED, "node " + r.name() + " speaks node protocol " + r.protocolVersion()
                        + " but this cluster speaks protocol " + protocolVersion,
                        r.protocolVersion() > protocolVersion ? "upgrade the cluster's nodes first, or retry the join later"
                                : "upgrade node " + r.name());
            }
            ClusterInfo info = membership.clusterInfo().orElseThrow(() -> new GdException(ErrorCode.FAILED_PRECONDITION,
                    "node " + name + " is not a member of any cluster yet", "bootstrap a cluster on it first, or join through a member"));
            OpVersion clusterVersion = OpVersion.of(info.opVersion());
            policy.checkJoin(clusterVersion, new OpVersionRange(r.minOpVersion(), r.maxOpVersion()), r.name());
            PeerRecord joiner = new PeerRecord(r.joiner().value(), r.name(), r.addresses(), r.minOpVersion().value(),
                    r.maxOpVersion().value(), OpVersion.max(r.currentOpVersion(), clusterVersion).value(), null, PeerState.CONNECTED);
            store.put(StoreLayout.peer(r.joiner().value()), Json.write(joiner));
            LOG.info("node {} ({}) joined through {}", r.joiner(), r.name(), id);
            events.publish(event("peer-added", Map.of("peer-id", r.joiner().value(), "name", r.name())));
            return new JoinReply(info.clusterId(), clusterVersion, protocolVersion, Map.of());
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
            for (Consumer<Notification> l : notificationListeners) {
                l.accept(n);
            }
        }
    }
}
