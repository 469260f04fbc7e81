package dev.gdkit.core.membership;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.SessionState;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreEvent;
import dev.gdkit.core.store.StoreListener;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.store.Watch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's view of the pool: peer records and liveness, kept current by two prefix watches
 * ({@code peers/} and {@code alive/}) and read from the store when the view lags. Liveness is the
 * node's ephemeral {@code alive/<id>} key, re-created after the store session is lost.
 */
public final class Membership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    private final ClusterStore store;
    private final NodeId self;
    private final Map<String, PeerRecord> peers = new ConcurrentHashMap<>();
    private final Set<String> alive = ConcurrentHashMap.newKeySet();
    private final List<Consumer<NodeId>> downListeners = new CopyOnWriteArrayList<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile boolean wantAlive;
    private volatile boolean peersLoaded;

    public Membership(ClusterStore store, NodeId self) {
        this.store = store;
        this.self = self;
    }

    /** Starts the watches. Call once. */
    public void start() {
        watches.add(store.watch(StoreLayout.PEERS, new StoreListener() {
            @Override
            public void onEvent(StoreEvent event) {
                onPeerEvent(event);
            }

            @Override
            public void onInitialized() {
                peersLoaded = true;
            }
        }));
        watches.add(store.watch(StoreLayout.ALIVE, this::onAliveEvent));
        store.session().addStateListener(s -> {
            if (s == SessionState.CONNECTED && wantAlive) {
                try {
                    announceAlive();
                } catch (GdException e) {
                    LOG.warn("could not re-announce liveness of {}: {}", self, e.getMessage());
                }
            }
        });
    }

    /** Creates the cluster record if there is none yet (the first node does this). */
    public ClusterInfo bootstrap(String clusterId, OpVersion opVersion) {
        try {
            store.commit(List.of(StoreOp.create(StoreLayout.CLUSTER_INFO, Json.write(new ClusterInfo(clusterId, opVersion.value())))));
        } catch (StoreConflictException e) {
            LOG.debug("cluster record exists already");
        }
        return clusterInfo().orElseThrow();
    }

    public Optional<ClusterInfo> clusterInfo() {
        return store.get(StoreLayout.CLUSTER_INFO).map(v -> Json.read(v.value(), ClusterInfo.class));
    }

    /** The cluster's op-version ({@link OpVersion#MIN} before bootstrap). */
    public OpVersion clusterOpVersion() {
        return clusterInfo().map(i -> OpVersion.of(i.opVersion())).orElse(OpVersion.MIN);
    }

    /** Writes this node's record (create or replace). */
    public void register(PeerRecord record) {
        if (!record.id().equals(self.value())) {
            throw GdException.invalid("node " + self + " cannot register a record for " + record.id(), "register your own record");
        }
        store.put(StoreLayout.peer(record.id()), Json.write(record));
        peers.put(record.id(), record);
    }

    /** Creates this node's ephemeral liveness key (and again after every session loss). */
    public void announceAlive() {
        wantAlive = true;
        try {
            store.session().createEphemeral(StoreLayout.alive(self.value()),
                    store.session().id().getBytes(StandardCharsets.UTF_8));
        } catch (StoreConflictException e) {
            // an old session's key that has not vanished yet, or this session's own: either way, fine
            LOG.debug("liveness key of {} exists: {}", self, e.getMessage());
        }
        alive.add(self.value());
    }

    /** The stored record of a node, read through to the store when the local view misses. */
    public Optional<PeerRecord> record(NodeId id) {
        PeerRecord r = peers.get(id.value());
        if (r != null) {
            return Optional.of(r);
        }
        Optional<PeerRecord> stored = store.get(StoreLayout.peer(id.value())).map(v -> Json.read(v.value(), PeerRecord.class));
        stored.ifPresent(p -> peers.put(p.id(), p));
        return stored;
    }

    /** The node's record read from the store now (and the local view updated with it). */
    public Optional<PeerRecord> freshRecord(NodeId id) {
        Optional<PeerRecord> stored = store.get(StoreLayout.peer(id.value())).map(v -> Json.read(v.value(), PeerRecord.class));
        stored.ifPresentOrElse(p -> peers.put(p.id(), p), () -> peers.remove(id.value()));
        return stored;
    }

    /** Whether the node is a member (has a record and has not left). */
    public boolean isMember(NodeId id) {
        return record(id).map(r -> r.state() != PeerState.LEFT).orElse(false);
    }

    /** Whether the node's store session is alive; asks the store when the local view says no. */
    public boolean isAlive(NodeId id) {
        if (alive.contains(id.value())) {
            return true;
        }
        boolean now = store.get(StoreLayout.alive(id.value())).isPresent();
        if (now) {
            alive.add(id.value());
        }
        return now;
    }

    /** Whether the node's liveness key is present right now, asking the store. */
    public boolean isAliveInStore(NodeId id) {
        return store.get(StoreLayout.alive(id.value())).isPresent();
    }

    /** The preferred transport address of a member. */
    public String addressOf(NodeId id) {
        PeerRecord r = record(id).orElseThrow(() -> new GdException(ErrorCode.NODE_NOT_IN_CLUSTER,
                "node " + id + " is not a member of the cluster", "add it with 'peer add' first"));
        if (r.addresses().isEmpty()) {
            throw new GdException(ErrorCode.NODE_UNREACHABLE, "node " + id + " has no address", "restart the node so it registers its address");
        }
        return r.addresses().get(0);
    }

    /** Every peer with its state as this node sees it. */
    public List<Peer> peers() {
        return store.children(StoreLayout.PEERS).stream()
                .map(v -> Json.read(v.value(), PeerRecord.class))
                .map(this::toPeer)
                .toList();
    }

    /**
     * Every peer as this node's watch-fed view has it, without a store read once the view has
     * loaded (before that, {@link #peers()}). The view lags the store by the watch's delay: use it
     * on hot paths whose commits are conditional anyway, {@link #peers()} where a fresh list matters.
     */
    public List<Peer> peersView() {
        if (!peersLoaded) {
            return peers();
        }
        return peers.values().stream().sorted(java.util.Comparator.comparing(PeerRecord::id)).map(this::toPeer).toList();
    }

    /** Marks a peer as left: it can no longer run steps. */
    public void markLeft(NodeId id) {
        Versioned v = store.get(StoreLayout.peer(id.value())).orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND,
                "peer " + id + " is not in the cluster", "list peers to see the members"));
        PeerRecord r = Json.read(v.value(), PeerRecord.class).withState(PeerState.LEFT);
        store.update(StoreLayout.peer(id.value()), Json.write(r), v.version());
        peers.put(r.id(), r);
    }

    /** Told with the node's id when a node's liveness key disappears. */
    public void onNodeDown(Consumer<NodeId> listener) {
        downListeners.add(listener);
    }

    public NodeId self() {
        return self;
    }

    @Override
    public void close() {
        wantAlive = false;
        watches.forEach(Watch::close);
    }

    private Peer toPeer(PeerRecord r) {
        PeerState state = r.state() == PeerState.LEFT ? PeerState.LEFT
                : isAlive(NodeId.of(r.id())) ? PeerState.CONNECTED : PeerState.UNREACHABLE;
        return new Peer(NodeId.of(r.id()), r.name(), r.addresses(), state,
                new OpVersionRange(OpVersion.of(r.minOpVersion()), OpVersion.of(r.maxOpVersion())), Map.of());
    }

    private void onPeerEvent(StoreEvent e) {
        if (!e.key().startsWith(StoreLayout.PEERS + "/")) {
            return;
        }
        String id = e.key().substring(StoreLayout.PEERS.length() + 1);
        if (e.type() == StoreEvent.Type.DELETED) {
            peers.remove(id);
        } else {
            peers.put(id, Json.read(e.value(), PeerRecord.class));
        }
    }

    private void onAliveEvent(StoreEvent e) {
        if (!e.key().startsWith(StoreLayout.ALIVE + "/")) {
            return;
        }
        String id = e.key().substring(StoreLayout.ALIVE.length() + 1);
        if (e.type() == StoreEvent.Type.DELETED) {
            alive.remove(id);
            for (Consumer<NodeId> l : downListeners) {
                l.accept(NodeId.of(id));
            }
        } else {
            alive.add(id);
        }
    }
}
