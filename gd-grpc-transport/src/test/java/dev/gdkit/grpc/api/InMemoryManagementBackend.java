package dev.gdkit.grpc.api;

import dev.gdkit.api.client.ClusterOpVersion;
import dev.gdkit.api.client.JoinTokenInfo;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.IssuedToken;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small but real cluster model behind the management API, for testing GdClient end to end: peers,
 * volumes with a lifecycle, an option catalog with op-versions, the cluster op-version, join tokens
 * from a real {@link ClusterAuthority}, and events published on every change. One lock, so every
 * method is atomic.
 */
final class InMemoryManagementBackend implements PeerBackend, VolumeBackend, OptionBackend, OpVersionBackend,
        EventSource {
    /** key -> (default, introduced in). */
    static final Map<String, OptionValue> CATALOG = Map.of(
            "performance.cache-size", new OptionValue("performance.cache-size", "32MB", "32MB", true, OpVersion.of(1)),
            "cluster.eager-lock", new OptionValue("cluster.eager-lock", "on", "on", true, OpVersion.of(1)),
            "features.new-thing", new OptionValue("features.new-thing", "off", "off", true, OpVersion.of(110000)));

    private final NodeId self;
    private final ClusterAuthority authority;
    private final Clock clock;
    private final Map<NodeId, Peer> peers = new TreeMap<>();
    private final Map<String, Volume> volumes = new TreeMap<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private OpVersion current;

    InMemoryManagementBackend(NodeId self, ClusterAuthority authority, Clock clock, OpVersion current) {
        this.self = self;
        this.authority = authority;
        this.clock = clock;
        this.current = current;
    }

    ManagementBackend asBackend() {
        return new ManagementBackend(this, this, this, this, this);
    }

    synchronized void addPeer(Peer p) {
        peers.put(p.id(), p);
    }

    int listenerCount() {
        return listeners.size();
    }

    void publish(String name, Map<String, String> data) {
        Event e = new Event(UUID.randomUUID().toString(), name, data, self, clock.instant());
        for (Consumer<Event> l : listeners) {
            l.accept(e);
        }
    }

    // ---- peers

    @Override
    public synchronized List<Peer> listPeers() {
        return List.copyOf(peers.values());
    }

    @Override
    public synchronized Peer getPeer(NodeId id) {
        Peer p = peers.get(id);
        if (p == null) {
            throw new GdException(ErrorCode.NOT_FOUND, "peer " + id + " is not a member of the cluster",
                    "list the peers to see their ids");
        }
        return p;
    }

    @Override
    public synchronized void removePeer(NodeId id) {
        getPeer(id);
        List<String> using = volumes.values().stream()
                .filter(v -> v.bricks().stream().anyMatch(b -> b.node().equals(id))).map(Volume::name).toList();
        if (!using.isEmpty()) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "peer " + id + " hosts bricks of volumes " + using,
                    "delete those volumes or move their bricks first");
        }
        peers.remove(id);
        publish("peer-removed", Map.of("peer", id.value()));
    }

    @Override
    public JoinTokenInfo createJoinToken(Duration ttl) {
        IssuedToken t = authority.issueToken(self, ttl);
        return new JoinTokenInfo(t.token().encode(), t.expiresAt());
    }

    // ---- volumes

    @Override
    public synchronized List<Volume> listVolumes() {
        return List.copyOf(volumes.values());
    }

    @Override
    public synchronized Volume createVolume(VolCreateRequest r) {
        String name = r.name();
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw GdException.invalid("volume name '" + name + "' is not valid",
                    "use 1 to 64 letters, digits, '_' or '-'");
        }
        if (volumes.containsKey(name)) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "volume " + name + " already exists",
                    "choose another name or delete the old volume");
        }
        if (r.subvols().isEmpty()) {
            throw GdException.invalid("volume " + name + " has no subvolumes", "give at least one subvolume");
        }
        List<Subvolume> subs = new ArrayList<>();
        int i = 0;
        for (SubvolRequest s : r.subvols()) {
            SubvolumeType type = switch (s.type() == null ? "" : s.type()) {
                case "distribute" -> SubvolumeType.DISTRIBUTE;
                case "replicate" -> SubvolumeType.REPLICATE;
                case "disperse" -> SubvolumeType.DISPERSE;
                default -> throw GdException.invalid("subvolume type '" + s.type() + "' is not known",
                        "use distribute, replicate or disperse");
            };
            if (type == SubvolumeType.REPLICATE && s.replica() != s.bricks().size()) {
                throw GdException.invalid("replica " + s.replica() + " does not match the " + s.bricks().size()
                        + " bricks of subvolume " + i, "give as many bricks as the replica count");
            }
            List<Brick> bricks = new ArrayList<>();
            for (BrickRequest b : s.bricks()) {
                NodeId node = NodeId.of(b.peerId());
                Peer p = peers.get(node);
                if (p == null) {
                    throw new GdException(ErrorCode.NODE_NOT_IN_CLUSTER, "brick " + b.peerId() + ":" + b.path()
                            + " is on a node that is not in the cluster", "add the peer first");
                }
                bricks.add(new Brick(UUID.randomUUID().toString(), node, p.name(), b.path(),
                        "arbiter".equals(b.type()) ? BrickType.ARBITER : BrickType.BRICK));
            }
            subs.add(new Subvolume(name + "-" + type.name().toLowerCase() + "-" + i++, type, bricks,
                    type == SubvolumeType.REPLICATE ? s.replica() : 0, s.arbiter(), s.disperseCount(),
                    s.disperseRedundancy()));
        }
        for (String key : r.options().keySet()) {
            checkOption(key);
        }
        SubvolumeType first = subs.get(0).type();
        VolumeType type = switch (first) {
            case DISTRIBUTE -> VolumeType.DISTRIBUTE;
            case REPLICATE -> subs.size() > 1 ? VolumeType.DISTRIBUTED_REPLICATE : VolumeType.REPLICATE;
            case DISPERSE -> subs.size() > 1 ? VolumeType.DISTRIBUTED_DISPERSE : VolumeType.DISPERSE;
        };
        Volume v = new Volume(UUID.randomUUID().toString(), name, type, r.transport(), subs, r.options(),
                VolumeState.CREATED, r.metadata());
        volumes.put(name, v);
        publish("volume-created", Map.of("volume", name));
        return v;
    }

    private Volume volume(String name) {
        Volume v = volumes.get(name);
        if (v == null) {
            throw new GdException(ErrorCode.NOT_FOUND, "volume " + name + " does not exist",
                    "list the volumes to see their names");
        }
        return v;
    }

    @Override
    public synchronized Volume getVolume(String name) {
        return volume(name);
    }

    private Volume transition(String name, VolumeState from, VolumeState to, String event) {
        Volume v = volume(name);
        if (v.state() == to) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "volume " + name + " is already "
                    + to.displayName().toLowerCase(), "nothing to do");
        }
        if (from != null && v.state() != from && !(to == VolumeState.STARTED && v.state() == VolumeState.CREATED)) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "volume " + name + " is "
                    + v.state().displayName(), "it must be " + from.displayName());
        }
        Volume n = v.withState(to);
        volumes.put(name, n);
        publish(event, Map.of("volume", name));
        return n;
    }

    @Override
    public synchronized Volume startVolume(String name) {
        return transition(name, VolumeState.STOPPED, VolumeState.STARTED, "volume-started");
    }

    @Override
    public synchronized Volume stopVolume(String name) {
        return transition(name, VolumeState.STARTED, VolumeState.STOPPED, "volume-stopped");
    }

    @Override
    public synchronized void deleteVolume(String name) {
        if (volume(name).state() == VolumeState.STARTED) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "volume " + name + " is started",
                    "stop it before deleting it");
        }
        volumes.remove(name);
        publish("volume-deleted", Map.of("volume", name));
    }

    // ---- options

    private OptionValue checkOption(String key) {
        OptionValue o = CATALOG.get(key);
        if (o == null) {
            throw GdException.invalid("option '" + key + "' is not known", "use one of " + new TreeMap<>(CATALOG)
                    .keySet());
        }
        if (!current.atLeast(o.introducedIn())) {
            throw new GdException(ErrorCode.OP_VERSION_TOO_LOW, "option " + key + " needs op-version "
                    + o.introducedIn() + " but the cluster runs " + current,
                    "raise the cluster op-version to " + o.introducedIn() + " first");
        }
        return o;
    }

    private static List<OptionValue> effective(Volume v) {
        List<OptionValue> out = new ArrayList<>();
        for (OptionValue o : new TreeMap<>(CATALOG).values()) {
            String set = v.options().get(o.key());
            out.add(new OptionValue(o.key(), set == null ? o.defaultValue() : set, o.defaultValue(), set == null,
                    o.introducedIn()));
        }
        return out;
    }

    @Override
    public synchronized List<OptionValue> getOptions(String volume) {
        return effective(volume(volume));
    }

    @Override
    public synchronized List<OptionValue> setOptions(String volume, Map<String, String> options) {
        Volume v = volume(volume);
        options.keySet().forEach(this::checkOption);
        Map<String, String> merged = new LinkedHashMap<>(v.options());
        merged.putAll(options);
        Volume n = v.withOptions(merged);
        volumes.put(volume, n);
        publish("volume-options-set", Map.of("volume", volume, "keys", String.join(",", new TreeMap<>(options)
                .keySet())));
        return effective(n);
    }

    @Override
    public synchronized List<OptionValue> resetOptions(String volume, Set<String> keys) {
        Volume v = volume(volume);
        Map<String, String> left = new HashMap<>(v.options());
        if (keys.isEmpty()) {
            left.clear();
        } else {
            for (String k : keys) {
                if (!CATALOG.containsKey(k)) {
                    throw GdException.invalid("option '" + k + "' is not known", "use one of "
                            + new TreeMap<>(CATALOG).keySet());
                }
                left.remove(k);
            }
        }
        Volume n = v.withOptions(left);
        volumes.put(volume, n);
        return effective(n);
    }

    // ---- op-version

    private OpVersion maxAllowed() {
        return peers.values().stream().map(p -> p.supported().max()).min(OpVersion::compareTo).orElse(current);
    }

    @Override
    public synchronized ClusterOpVersion getOpVersion() {
        return new ClusterOpVersion(current, maxAllowed());
    }

    @Override
    public synchronized ClusterOpVersion setOpVersion(OpVersion version) {
        if (version.compareTo(current) < 0) {
            throw GdException.invalid("op-version " + version + " is below the cluster's " + current,
                    "the op-version can only be raised");
        }
        OpVersion max = maxAllowed();
        if (version.compareTo(max) > 0) {
            String limiting = peers.values().stream().filter(p -> p.supported().max().compareTo(version) < 0)
                    .map(p -> p.id().value()).sorted().toList().toString();
            throw new GdException(ErrorCode.OP_VERSION_INCOMPATIBLE, "op-version " + version
                    + " is above what peers " + limiting + " can run (at most " + max + ")",
                    "upgrade those peers first");
        }
        current = version;
        publish("op-version-changed", Map.of("op-version", version.toString()));
        return new ClusterOpVersion(current, max);
    }

    // ---- events

    @Override
    public Subscription subscribe(Consumer<Event> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
