package dev.gdkit.core.volume;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.gd2.VolumeInfo;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.membership.ClusterInfo;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.opversion.ClusterVersions;
import dev.gdkit.core.opversion.OpVersionPolicy;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.transaction.NodeOutcome;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.core.volgen.OptionCatalog;
import dev.gdkit.core.volgen.OptionSpec;
import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolgenRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes on one node of a cluster: create, start, stop, delete, options, expand. Every request is
 * validated before anything changes; every change is one transaction locking {@code volume:<name>}
 * whose steps run on the nodes concerned and whose commit writes the volume record, so a failure
 * anywhere leaves every node and the store as they were. A failed transaction leaves a
 * {@link FailureReport}. Thread-safe; one per node, over that node's {@link VolumePlugin}.
 */
public final class VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    private static final int CONFLICT_RETRIES = 5;

    private final com.google.common.cache.Cache<String, String> authByVolumeId = com.google.common.cache.CacheBuilder.newBuilder()
            .maximumSize(4096).build();
    /** Recent renderings by their exact inputs, at most ~2 M characters of volfile text in all. */
    private final com.google.common.cache.Cache<RenderKey, List<Volfile>> renderings = com.google.common.cache.CacheBuilder.newBuilder()
            .maximumWeight(2_000_000).<RenderKey, List<Volfile>>weigher((k, files) -> files.stream().mapToInt(f -> f.text().length()).sum() + 1)
            .expireAfterAccess(java.time.Duration.ofMinutes(10)).build();
    private final GdNode node;
    private final VolumePlugin plugin;
    private final OptionCatalog catalog;
    private final ClusterVersions versions;

    private VolumeService(Builder b) {
        this.node = b.node;
        this.plugin = b.plugin;
        this.catalog = b.plugin.volgen().catalog();
        this.versions = b.policy == null ? node.versions() : new ClusterVersions(node.store(), b.policy);
        plugin.bind(node.store());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parts of a volume service. */
    public static final class Builder {
        private GdNode node;
        private VolumePlugin plugin;
        private OpVersionPolicy policy;

        /** The node it works on (required). */
        public Builder node(GdNode n) {
            node = n;
            return this;
        }

        /** The volume plugin installed on that node (required). */
        public Builder plugin(VolumePlugin p) {
            plugin = p;
            return this;
        }

        /**
         * Overrides the op-version policy (default: the node's own, through {@link GdNode#versions()}).
         * Only for nodes whose policy cannot be configured, such as the testkit's simulated ones.
         */
        public Builder policy(OpVersionPolicy p) {
            policy = p;
            return this;
        }

        public VolumeService build() {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(plugin, "plugin");
            return new VolumeService(this);
        }
    }

    // =================================================================== reads

    public Optional<Volume> find(String name) {
        return node.store().get(VolumeKeys.volume(name)).map(v -> Json.read(v.value(), Volume.class));
    }

    /** The volume, or NOT_FOUND naming it. */
    public Volume get(String name) {
        return find(name).orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "volume " + name + " does not exist",
                "list the volumes to see their names" + failureReport(name).map(r -> "; its last " + r.operation()
                        + " failed: " + r.message()).orElse("")));
    }

    public List<Volume> list() {
        return node.store().children(VolumeKeys.VOLUMES).stream().filter(v -> v.value().length > 0)
                .map(v -> Json.read(v.value(), Volume.class)).toList();
    }

    /** GlusterD2's volume info. */
    public VolumeInfo info(String name) {
        return VolumeInfo.of(get(name).withState(state(name)));
    }

    public List<VolumeInfo> listInfo() {
        return list().stream().map(VolumeInfo::of).toList();
    }

    /**
     * The volume's lifecycle state, including the transient ones: Creating, Starting, Stopping and
     * Deleting while that operation's transaction holds the volume's lock; CreateFailed when the
     * last create failed (the volume does not exist then).
     */
    public VolumeState state(String name) {
        Optional<String> running = runningOperation(name);
        Optional<Volume> v = find(name);
        if (running.isPresent()) {
            switch (running.get()) {
                case "volume-create" -> {
                    return VolumeState.CREATING;
                }
                case "volume-start" -> {
                    return VolumeState.STARTING;
                }
                case "volume-stop" -> {
                    return VolumeState.STOPPING;
                }
                case "volume-delete" -> {
                    return VolumeState.DELETING;
                }
                default -> {
                }
            }
        }
        if (v.isPresent()) {
            return v.get().state();
        }
        return failureReport(name).filter(r -> r.state() == VolumeState.CREATE_FAILED).map(FailureReport::state)
                .orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "volume " + name + " does not exist", "list the volumes"));
    }

    /** The report of the volume's last failed operation, kept until one succeeds. */
    public Optional<FailureReport> failureReport(String name) {
        return node.store().get(VolumeKeys.report(name)).map(v -> Json.read(v.value(), FailureReport.class));
    }

    @SuppressWarnings("unchecked")
    private Optional<String> runningOperation(String name) {
        return node.store().get(StoreLayout.lock(VolumeKeys.lock(name))).flatMap(l -> node.store().get(StoreLayout.txn(l.valueAsString())))
                .map(j -> String.valueOf(Json.read(j.value(), Map.class).get("name")));
    }

    // =================================================================== create

    /** GlusterD2's create request: bricks by peer id, one entry per subvolume. */
    public Volume create(VolCreateRequest r) {
        if (r.subvols().isEmpty()) {
            throw GdException.invalid("volume create request for " + r.name() + " has no subvols", "give at least one subvol with bricks");
        }
        SubvolRequest first = r.subvols().get(0);
        for (SubvolRequest s : r.subvols()) {
            if (!Objects.equals(s.type(), first.type()) || s.replica() != first.replica() || s.arbiter() != first.arbiter()
                    || s.disperseCount() != first.disperseCount() || s.disperseRedundancy() != first.disperseRedundancy()
                    || s.bricks().size() != first.bricks().size()) {
                throw GdException.invalid("the subvols of volume " + r.name() + " differ in type or counts",
                        "give every subvol the same type, counts and number of bricks");
            }
        }
        String type = first.type() == null ? "distribute" : first.type();
        CreateVolumeRequest.Builder b = CreateVolumeRequest.builder(r.name()).transport(r.transport()).options(r.options())
                .flags(BrickFlags.fromGd2(r.flags(), r.force()));
        r.metadata().forEach(b::metadata);
        switch (type) {
            case "distribute" -> {
            }
            case "replicate" -> {
                int replica = first.replica() > 0 ? first.replica() : first.bricks().size();
                b.replica(first.arbiter() > 0 && replica == 2 ? 3 : replica).arbiter(first.arbiter());
            }
            case "disperse" -> {
                int count = first.disperseCount() > 0 ? first.disperseCount()
                        : first.disperseData() > 0 ? first.disperseData() + first.disperseRedundancy() : first.bricks().size();
                b.disperse(count).redundancy(first.disperseRedundancy());
            }
            default -> throw GdException.invalid("subvol type '" + type + "' is not known", "use distribute, replicate or disperse");
        }
        Map<String, Peer> peers = new HashMap<>();
        node.membership().peers().forEach(p -> peers.put(p.id().value(), p));
        for (SubvolRequest s : r.subvols()) {
            for (int i = 0; i < s.bricks().size(); i++) {
                BrickRequest br = s.bricks().get(i);
                Peer p = peers.get(br.peerId());
                if (p == null) {
                    throw new GdException(ErrorCode.NODE_NOT_IN_CLUSTER, "brick " + br.path() + " names peer " + br.peerId()
                            + ", which is not a member of this cluster", "use the id of a member: " + new TreeSet<>(peers.keySet()));
                }
                if ("arbiter".equalsIgnoreCase(br.type()) && (s.arbiter() == 0 || i != s.bricks().size() - 1)) {
                    throw GdException.invalid("brick " + br.path() + " on " + p.name() + " is an arbiter but not the last brick of an"
                            + " arbiter subvol", "set arbiter 1 and give the arbiter brick last in its subvol");
                }
                b.brick(p.id().value() + ":" + br.path());
            }
        }
        return create(b.build());
    }

    /**
     * Creates a volume (state Created). Refusals change nothing; a failed transaction leaves a
     * CreateFailed report. A create that loses a race (the same name created meanwhile, the cluster
     * version changed) is undone and checked again, so the loser gets ALREADY_EXISTS.
     */
    public Volume create(CreateVolumeRequest r) {
        return withRetry(() -> createOnce(r));
    }

    private Volume createOnce(CreateVolumeRequest r) {
        VolumeRules.checkName(r.name());
        if (!r.transport().equals("tcp") && !r.transport().equals("rdma")) {
            throw GdException.invalid("transport '" + r.transport() + "' is not supported", "use tcp or rdma");
        }
        Layout layout = Layout.of(r.replica(), r.arbiter(), r.disperse(), r.redundancy());
        Map<String, NodeId> hosts = hosts();
        List<VolumeRules.BrickAddress> addrs = r.bricks().stream().map(b -> VolumeRules.parseBrick(b, hosts)).toList();
        layout.checkBrickCount(addrs.size());
        VolumeRules.checkDistinct(addrs);
        VolumeRules.checkSpread(layout, addrs, r.flags().force());
        VolumeRules.checkMetadata(r.metadata());
        addrs.forEach(a -> VolumeRules.checkVolfileName(r.name(), a));
        if (find(r.name()).isPresent()) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "volume " + r.name() + " already exists",
                    "choose another name, or delete the existing volume first");
        }
        VolumeRules.checkNotInUse(addrs, list());
        VolumeType type = layout.type(addrs.size());
        Map<String, String> given = catalog.validate(r.options(), type);
        ClusterVersions.Snapshot snap = versions.read();
        Map<String, String> options = new LinkedHashMap<>();
        catalog.createDefaults(type).forEach((k, v) -> {
            if (catalog.opVersion(k).compareTo(snap.clusterVersion()) <= 0) {
                options.put(k, v);
            }
        });
        options.putAll(given);
        List<Brick> bricks = VolumeRules.bricks(layout, addrs);
        Volume v = new Volume(UUID.randomUUID().toString(), r.name(), type, r.transport(),
                VolumeRules.subvolumes(r.name(), layout, bricks, 0), options, VolumeState.CREATED, r.metadata());
        String auth = UUID.randomUUID() + ":" + UUID.randomUUID();
        Needed needed = needed(options, r.name());
        List<StoreOp> usage = versions.usageChanged(snap, r.name(), Optional.empty(), needed.version(), needed.what());
        OpVersion renderAt = versionAfter(snap, usage);
        List<NodeId> keeping = keepingNodes(render(v, renderAt, auth));
        Transaction t = Transaction.builder("volume-create").lock(VolumeKeys.lock(r.name()))
                .context(VolumePlugin.CTX_VOLUME, json(v)).context(VolumePlugin.CTX_FLAGS, json(r.flags()))
                .context(VolumePlugin.CTX_OPVERSION, renderAt.toString()).context(VolumePlugin.CTX_AUTH, auth)
                .step(VolumePlugin.PREPARE_BRICKS, brickNodes(bricks)).step(VolumePlugin.WRITE_VOLFILES, keeping)
                .commit(ctx -> {
                    List<StoreOp> ops = new ArrayList<>();
                    ops.add(StoreOp.create(VolumeKeys.volume(v.name()), Json.write(v)));
                    ops.add(StoreOp.create(VolumeKeys.auth(v.name()), auth));
                    ops.addAll(usage);
                    clearReport(v.name(), ops);
                    return ops;
                }).build();
        run(t, v.name(), VolumeState.CREATE_FAILED, null);
        LOG.info("volume {} created: {} bricks, {}", v.name(), bricks.size(), layout.brickCountText(bricks.size()));
        return v;
    }

    // =================================================================== start, stop, delete

    /** Starts a Created or Stopped volume (also retries a failed start or stop). */
    public Volume start(String name) {
        return transition(name, "volume-start", VolumePlugin.START_BRICKS, VolumeState.STARTED, VolumeState.START_FAILED,
                List.of(VolumeState.CREATED, VolumeState.STOPPED, VolumeState.START_FAILED, VolumeState.STOP_FAILED),
                "it must be Created or Stopped; a started volume needs no start");
    }

    /** Stops a Started volume (also retries a failed stop, and cleans up after a failed start). */
    public Volume stop(String name) {
        return transition(name, "volume-stop", VolumePlugin.STOP_BRICKS, VolumeState.STOPPED, VolumeState.STOP_FAILED,
                List.of(VolumeState.STARTED, VolumeState.STOP_FAILED, VolumeState.START_FAILED),
                "only a Started volume can be stopped");
    }

    private Volume transition(String name, String op, String step, VolumeState to, VolumeState failed,
                              List<VolumeState> from, String rule) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            if (!from.contains(v.state())) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot " + op.substring(7) + " volume " + name + ": it is "
                        + v.state().displayName() + "; " + rule, remedyFor(v.state()));
            }
            Volume after = v.withState(to);
            Transaction t = Transaction.builder(op).lock(VolumeKeys.lock(name)).context(VolumePlugin.CTX_VOLUME, json(v))
                    .step(step, brickNodes(v.bricks()))
                    .commit(ctx -> {
                        List<StoreOp> ops = new ArrayList<>();
                        ops.add(StoreOp.update(VolumeKeys.volume(name), Json.write(after), rec.version()));
                        clearReport(name, ops);
                        return ops;
                    }).build();
            run(t, name, failed, rec);
            return after;
        });
    }

    /** Deletes a volume that is not started: its volfiles on every node and its records. Bricks keep their data. */
    public void delete(String name) {
        withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            List<VolumeState> allowed = List.of(VolumeState.CREATED, VolumeState.STOPPED, VolumeState.START_FAILED,
                    VolumeState.DELETE_FAILED);
            if (!allowed.contains(v.state())) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot delete volume " + name + ": it is "
                        + v.state().displayName(), "stop the volume first");
            }
            ClusterVersions.Snapshot snap = versions.read();
            Needed before = needed(v.options(), name);
            List<StoreOp> usage = versions.usageChanged(snap, name, before.version(), Optional.empty(), "deleting volume " + name);
            Transaction t = Transaction.builder("volume-delete").lock(VolumeKeys.lock(name)).context(VolumePlugin.CTX_VOLUME, json(v))
                    .step(VolumePlugin.REMOVE_VOLFILES, members())
                    .commit(ctx -> {
                        List<StoreOp> ops = new ArrayList<>();
                        if (node.store().get(VolumeKeys.auth(name)).isPresent()) {
                            ops.add(StoreOp.delete(VolumeKeys.auth(name)));
                        }
                        ops.add(StoreOp.delete(VolumeKeys.volume(name), rec.version()));
                        if (node.store().get(VolumeKeys.task(name)).isPresent()) {
                            ops.add(StoreOp.delete(VolumeKeys.task(name)));
                        }
                        ops.addAll(usage);
                        clearReport(name, ops);
                        return ops;
                    }).build();
            run(t, name, VolumeState.DELETE_FAILED, rec);
            return null;
        });
    }

    // =================================================================== options

    /**
     * Sets options (group keys apply the whole group) in one transaction: validated against the
     * catalog together with the volume's other options, the cluster op-version raised when a key
     * needs it (or OP_VERSION_TOO_LOW naming the peers that block it), and volfiles rewritten on
     * exactly the nodes whose files change.
     */
    public Volume setOptions(String name, Map<String, String> options) {
        if (options.isEmpty()) {
            throw GdException.invalid("no options given for volume " + name, "give at least one KEY=VALUE (or group=NAME)");
        }
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Map<String, String> given = catalog.validate(options, v.type());
            Map<String, String> merged = new LinkedHashMap<>(v.options());
            merged.putAll(given);
            merged = catalog.validate(merged, v.type());
            return changeOptions(rec, v, merged, "volume-set");
        });
    }

    /** Resets the named keys: a key glusterd sets at create time returns to that value, others to the catalog default. */
    public Volume resetOptions(String name, Collection<String> keys) {
        if (keys.isEmpty()) {
            throw GdException.invalid("no option keys given to reset on volume " + name, "name the keys, or reset all");
        }
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Map<String, String> merged = new LinkedHashMap<>(v.options());
            Map<String, String> defaults = catalog.createDefaults(v.type());
            for (String k : keys) {
                String key = canonical(k);
                merged.remove(key);
                if (defaults.containsKey(key) && v.options().containsKey(key)) {
                    merged.put(key, defaults.get(key));
                }
            }
            return changeOptions(rec, v, merged, "volume-reset");
        });
    }

    /** Resets every option; the ones glusterd sets at create time keep their create-time values (as {@code volume reset} keeps transport.address-family). */
    public Volume resetAllOptions(String name) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Map<String, String> merged = new LinkedHashMap<>();
            catalog.createDefaults(v.type()).forEach((k, val) -> {
                if (v.options().containsKey(k)) {
                    merged.put(k, val);
                }
            });
            return changeOptions(rec, v, merged, "volume-reset");
        });
    }

    /** One option's effective value and whether it is the default. */
    public OptionValue getOption(String name, String key) {
        Volume v = get(name);
        if (key.startsWith("user.")) {
            String val = v.options().get(key);
            if (val == null) {
                throw new GdException(ErrorCode.NOT_FOUND, "user option " + key + " is not set on volume " + name,
                        "set it first; user.* options have no default");
            }
            return new OptionValue(key, val, "", false, OpVersion.MIN);
        }
        OptionSpec spec = catalog.find(key).orElseThrow(() -> GdException.invalid("option " + key + " does not exist",
                "use a key of the option catalog (for example performance.cache-size)"));
        return value(v, spec);
    }

    /** Every catalog option's effective value on the volume, plus its user.* options. */
    public List<OptionValue> getOptions(String name) {
        Volume v = get(name);
        List<OptionValue> out = new ArrayList<>();
        for (String k : catalog.keys()) {
            catalog.find(k).ifPresent(s -> out.add(value(v, s)));
        }
        v.options().forEach((k, val) -> {
            if (k.startsWith("user.")) {
                out.add(new OptionValue(k, val, "", false, OpVersion.MIN));
            }
        });
        return out;
    }

    private static OptionValue value(Volume v, OptionSpec s) {
        String set = v.options().get(s.key());
        return new OptionValue(s.key(), set != null ? set : s.defaultValue(), s.defaultValue(), set == null, s.opVersion());
    }

    private String canonical(String key) {
        if (key.startsWith("user.")) {
            return key;
        }
        return catalog.find(key).map(OptionSpec::key).orElseThrow(() -> GdException.invalid("option " + key + " does not exist",
                "use a key of the option catalog"));
    }

    private Volume changeOptions(Versioned rec, Volume v, Map<String, String> merged, String op) {
        ClusterVersions.Snapshot snap = versions.read();
        Needed before = needed(v.options(), v.name());
        Needed now = needed(merged, v.name());
        List<StoreOp> usage = versions.usageChanged(snap, v.name(), before.version(), now.version(), now.what());
        OpVersion renderAt = versionAfter(snap, usage);
        Volume after = v.withOptions(merged);
        String auth = auth(v);
        // only the kept files decide the steps: served ones are rendered when asked for (the options were validated above)
        List<Volfile> old = renderKept(v, snap.clusterVersion(), auth);
        List<Volfile> fresh = renderKept(after, renderAt, auth);
        // only nodes that keep some file of the volume on disk can be affected; served files change with the record alone
        java.util.SortedSet<NodeId> keeping = new java.util.TreeSet<>();
        java.util.stream.Stream.concat(old.stream(), fresh.stream()).forEach(f -> keeping.addAll(f.placement().nodes()));
        List<NodeId> changed = keeping.stream().filter(n -> !placed(old, n).equals(placed(fresh, n))).toList();
        Transaction.Builder t = Transaction.builder(op).lock(VolumeKeys.lock(v.name()));
        if (!changed.isEmpty()) {
            t.context(VolumePlugin.CTX_VOLUME, json(after)).context(VolumePlugin.CTX_OPVERSION, renderAt.toString())
                    .context(VolumePlugin.CTX_AUTH, auth)
                    // undone by rendering the volume as it was: no backups on the nodes' disks
                    .context(VolumePlugin.CTX_VOLUME_BEFORE, json(v)).context(VolumePlugin.CTX_OPVERSION_BEFORE, snap.clusterVersion().toString())
                    .step(VolumePlugin.WRITE_VOLFILES, changed);
        }
        t.commit(ctx -> {
            List<StoreOp> ops = new ArrayList<>();
            ops.add(StoreOp.update(VolumeKeys.volume(v.name()), Json.write(after), rec.version()));
            ops.addAll(usage);
            return ops;
        });
        run(t.build(), v.name(), null, rec);
        LOG.info("{} on volume {}: volfiles rewritten on {}", op, v.name(), changed);
        return after;
    }

    private static Map<String, String> placed(List<Volfile> files, NodeId n) {
        Map<String, String> out = new HashMap<>();
        files.stream().filter(f -> f.placement().belongsOn(n)).forEach(f -> out.put(f.fileName(), f.text()));
        return out;
    }

    // =================================================================== volfiles served from the record

    /**
     * The names of every volfile of the volume as it is now, those kept on nodes' disks and those
     * served on request (see {@link dev.gdkit.core.volgen.VolfilePlacement}), sorted.
     */
    public List<String> volfileNames(String name) {
        return current(name).stream().map(Volfile::fileName).sorted().toList();
    }

    /**
     * One volfile of the volume, rendered from its latest record: what any member answers right
     * after a change returned on another member (the read waits for the store to catch up). Served
     * files (client, trusted client, gfproxy, rebalance) exist only this way; files kept on disk are
     * returned as the record says they must be.
     */
    public String volfile(String name, String fileName) {
        List<Volfile> files = current(name);
        return files.stream().filter(f -> f.fileName().equals(fileName)).findFirst().map(Volfile::text)
                .orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "volume " + name + " has no volfile named '" + fileName + "'",
                        "use one of " + files.stream().map(Volfile::fileName).sorted().toList()));
    }

    private List<Volfile> current(String name) {
        Versioned rec = node.store().getLatest(VolumeKeys.volume(name)).filter(r -> r.value().length > 0)
                .orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "volume " + name + " does not exist",
                        "list the volumes to see their names"));
        Volume v = Json.read(rec.value(), Volume.class);
        return render(v, versions.read().clusterVersion(), auth(v));
    }

    // =================================================================== metadata

    /**
     * Changes the volume's user metadata (GD2's {@code edit}): sets the given keys, then removes
     * {@code remove}. The result must stay within 4 KiB and keys must not start with '_'. Only the
     * record changes (one transaction, no steps).
     */
    public Volume editMetadata(String name, Map<String, String> set, Collection<String> remove) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Map<String, String> md = new LinkedHashMap<>(v.metadata());
            md.putAll(set);
            remove.forEach(md::remove);
            VolumeRules.checkMetadata(md);
            Volume after = new Volume(v.id(), name, v.type(), v.transport(), v.subvolumes(), v.options(), v.state(), md);
            run(Transaction.builder("volume-edit").lock(VolumeKeys.lock(name))
                    .commit(ctx -> List.of(StoreOp.update(VolumeKeys.volume(name), Json.write(after), rec.version()))).build(),
                    name, null, rec);
            return after;
        });
    }

    // =================================================================== expand

    /**
     * Adds bricks: with {@code replica} 0 (or the current count), whole new sets in the volume's
     * layout; with a higher replica count, one new brick per existing set for each added copy (a
     * distribute volume becomes replicated). Same brick checks as create.
     */
    public Volume expand(String name, int replica, List<String> bricks, BrickFlags flags) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Layout layout = VolumeRules.layoutOf(v);
            Map<String, NodeId> hosts = hosts();
            List<VolumeRules.BrickAddress> addrs = bricks.stream().map(b -> VolumeRules.parseBrick(b, hosts)).toList();
            if (addrs.isEmpty()) {
                throw GdException.invalid("no bricks given to add to volume " + name, "give the new bricks as HOST:/absolute/path");
            }
            List<VolumeRules.BrickAddress> all = new ArrayList<>();
            v.bricks().forEach(b -> all.add(new VolumeRules.BrickAddress(b.host(), b.path(), b.node())));
            all.addAll(addrs);
            VolumeRules.checkDistinct(all);
            VolumeRules.checkNotInUse(addrs, list());
            addrs.forEach(a -> VolumeRules.checkVolfileName(name, a));
            Volume after;
            List<Brick> added;
            if (replica == 0 || replica == layout.replica()) {
                layout.checkBrickCount(addrs.size());
                added = VolumeRules.bricks(layout, addrs);
                VolumeRules.checkSpread(layout, addrs, flags.force());
                List<Subvolume> subs = new ArrayList<>(v.subvolumes());
                if (layout.setSize() == 1) {
                    List<Brick> merged = new ArrayList<>(v.bricks());
                    merged.addAll(added);
                    subs = VolumeRules.subvolumes(name, layout, merged, 0);
                } else {
                    subs.addAll(VolumeRules.subvolumes(name, layout, added, v.subvolumes().size()));
                }
                int total = v.bricks().size() + added.size();
                after = new Volume(v.id(), name, layout.type(total), v.transport(), subs, v.options(), v.state(), v.metadata());
            } else {
                if (layout.disperse() > 0 || layout.arbiter() > 0 || replica < Math.max(2, layout.replica())) {
                    throw GdException.invalid("cannot change volume " + name + " (" + layout.brickCountText(v.bricks().size())
                            + ") to replica " + replica, "raise the replica count of a replicate or distribute volume only"
                            + " (lowering it is remove-brick)");
                }
                int sets = layout.setSize() == 1 ? v.bricks().size() : v.subvolumes().size();
                int perSet = replica - Math.max(1, layout.replica());
                if (addrs.size() != sets * perSet) {
                    throw GdException.invalid("raising volume " + name + " to replica " + replica + " needs " + sets * perSet
                            + " new bricks (" + perSet + " for each of its " + sets + " sets), got " + addrs.size(),
                            "give " + perSet + " new brick(s) per set, in set order");
                }
                Layout target = Layout.of(replica, 0, 0, 0);
                added = VolumeRules.bricks(Layout.of(0, 0, 0, 0), addrs);
                List<Brick> ordered = new ArrayList<>();
                List<VolumeRules.BrickAddress> orderedAddrs = new ArrayList<>();
                List<Brick> old = v.bricks();
                int oldPer = Math.max(1, layout.replica());
                for (int s = 0; s < sets; s++) {
                    for (int i = 0; i < oldPer; i++) {
                        ordered.add(old.get(s * oldPer + i));
                    }
                    for (int i = 0; i < perSet; i++) {
                        ordered.add(added.get(s * perSet + i));
                    }
                }
                ordered.forEach(b -> orderedAddrs.add(new VolumeRules.BrickAddress(b.host(), b.path(), b.node())));
                VolumeRules.checkSpread(target, orderedAddrs, flags.force());
                after = new Volume(v.id(), name, target.type(ordered.size()), v.transport(),
                        VolumeRules.subvolumes(name, target, ordered, 0), v.options(), v.state(), v.metadata());
            }
            return changeBricks(rec, after, added, flags, "volume-expand");
        });
    }

    // =================================================================== replace, remove

    /**
     * Replaces one brick of a replicate or disperse volume by a new one in the same set position
     * (glusterd's {@code replace-brick ... commit force}); self-heal fills it. The new brick passes
     * the create checks; the old one is left as it is on its node.
     */
    public Volume replaceBrick(String name, String oldBrick, String newBrick, BrickFlags flags) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Layout layout = VolumeRules.layoutOf(v);
            if (layout.setSize() == 1) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot replace a brick of distribute volume " + name
                        + ": nothing would copy its data to the new brick", "add the new brick with expand, then remove the old one");
            }
            Map<String, NodeId> hosts = hosts();
            VolumeRules.BrickAddress from = VolumeRules.parseBrick(oldBrick, hosts);
            VolumeRules.BrickAddress to = VolumeRules.parseBrick(newBrick, hosts);
            List<Brick> bricks = new ArrayList<>(v.bricks());
            int at = -1;
            for (int i = 0; i < bricks.size(); i++) {
                if (bricks.get(i).node().equals(from.node()) && bricks.get(i).path().equals(from.path())) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new GdException(ErrorCode.NOT_FOUND, "brick " + oldBrick + " is not a brick of volume " + name,
                        "give one of " + v.bricks().stream().map(Brick::endpoint).toList());
            }
            Brick old = bricks.get(at);
            Brick fresh = new Brick(UUID.randomUUID().toString(), to.node(), to.host(), to.path(), old.type());
            List<VolumeRules.BrickAddress> others = new ArrayList<>();
            bricks.stream().filter(b -> b != old).forEach(b -> others.add(new VolumeRules.BrickAddress(b.host(), b.path(), b.node())));
            others.add(to);
            VolumeRules.checkDistinct(others);
            VolumeRules.checkNotInUse(List.of(to), list());
            VolumeRules.checkVolfileName(name, to);
            bricks.set(at, fresh);
            List<VolumeRules.BrickAddress> addrs = bricks.stream().map(b -> new VolumeRules.BrickAddress(b.host(), b.path(), b.node())).toList();
            VolumeRules.checkSpread(layout, addrs, flags.force());
            Volume after = new Volume(v.id(), name, v.type(), v.transport(), VolumeRules.subvolumes(name, layout, bricks, 0),
                    v.options(), v.state(), v.metadata());
            return changeBricks(rec, after, List.of(fresh), flags, "volume-replace-brick");
        });
    }

    /**
     * Removes bricks without moving data: lowering the replica count (one brick from every set,
     * {@code replica} the new count), or whole sets of a distributed volume, which needs
     * {@code force} because their files leave the volume (glusterd's {@code remove-brick ... force}).
     * Data migration before removing sets (remove-brick start/status/commit) is not provided yet.
     */
    public Volume removeBricks(String name, int replica, List<String> remove, boolean force) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            Layout layout = VolumeRules.layoutOf(v);
            java.util.Set<Brick> removed = bricksOf(v, remove);
            Volume after;
            if (replica > 0 && replica != layout.replica()) {
                if (layout.replica() == 0 || layout.arbiter() > 0 || replica > layout.replica() || replica < 2) {
                    throw GdException.invalid("cannot lower volume " + name + " (" + layout.brickCountText(v.bricks().size())
                            + ") to replica " + replica, "lower the replica count of a replicate volume (without arbiter) to 2 or more");
                }
                int perSet = layout.replica() - replica;
                List<Brick> kept = new ArrayList<>();
                for (Subvolume s : v.subvolumes()) {
                    long out = s.bricks().stream().filter(removed::contains).count();
                    if (out != perSet) {
                        throw GdException.invalid("lowering volume " + name + " to replica " + replica + " removes " + perSet
                                + " brick(s) from every set, but set " + s.name() + " loses " + out,
                                "name " + perSet + " brick(s) of each replica set");
                    }
                    s.bricks().stream().filter(b -> !removed.contains(b)).forEach(kept::add);
                }
                Layout target = Layout.of(replica, 0, 0, 0);
                after = new Volume(v.id(), name, target.type(kept.size()), v.transport(), VolumeRules.subvolumes(name, target, kept, 0),
                        v.options(), v.state(), v.metadata());
            } else {
                if (!force) {
                    throw new GdException(ErrorCode.FAILED_PRECONDITION, "removing whole sets from volume " + name
                            + " without moving their files would drop them",
                            "use removeBricksStart (then status and commit) to move the data first, or force to drop it");
                }
                after = withoutSets(v, layout, removed);
            }
            return changeBricks(rec, after, List.of(), BrickFlags.none(), "volume-remove-brick");
        });
    }

    /** The volume without the whole sets {@code removed} covers; refuses partial sets and removing everything. */
    private static Volume withoutSets(Volume v, Layout layout, java.util.Set<Brick> removed) {
        String name = v.name();
        List<Brick> kept = new ArrayList<>();
        for (int s = 0; s < v.bricks().size() / layout.setSize(); s++) {
            List<Brick> set = v.bricks().subList(s * layout.setSize(), (s + 1) * layout.setSize());
            long out = set.stream().filter(removed::contains).count();
            if (out != 0 && out != set.size()) {
                throw GdException.invalid("bricks to remove from volume " + name + " cover part of set " + (s + 1),
                        "remove whole sets (" + layout.setSize() + " bricks each), or lower the replica count");
            }
            if (out == 0) {
                kept.addAll(set);
            }
        }
        if (kept.isEmpty()) {
            throw GdException.invalid("removing every brick of volume " + name + " would leave it empty", "delete the volume instead");
        }
        return new Volume(v.id(), name, layout.type(kept.size()), v.transport(), VolumeRules.subvolumes(name, layout, kept, 0),
                v.options(), v.state(), v.metadata());
    }

    /** The bricks of {@code v} named by {@code endpoints}, or NOT_FOUND naming the stranger. */
    private java.util.Set<Brick> bricksOf(Volume v, List<String> endpoints) {
        Map<String, NodeId> hosts = hosts();
        List<VolumeRules.BrickAddress> gone = endpoints.stream().map(b -> VolumeRules.parseBrick(b, hosts)).toList();
        VolumeRules.checkDistinct(gone);
        java.util.Set<Brick> out = new java.util.LinkedHashSet<>();
        for (VolumeRules.BrickAddress a : gone) {
            out.add(v.bricks().stream().filter(x -> x.node().equals(a.node()) && x.path().equals(a.path())).findFirst()
                    .orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "brick " + a.endpoint() + " is not a brick of volume "
                            + v.name(), "give bricks of the volume: " + v.bricks().stream().map(Brick::endpoint).toList())));
        }
        if (out.isEmpty()) {
            throw GdException.invalid("no bricks given to remove from volume " + v.name(), "name the bricks to remove");
        }
        return out;
    }

    /** A running remove-brick: the leaving bricks. */
    public record RemoveBrickTask(String volume, List<String> brickIds, long startedMillis) {
        public RemoveBrickTask {
            brickIds = List.copyOf(brickIds);
        }
    }

    public Optional<RemoveBrickTask> removeBrickTask(String name) {
        return node.store().get(VolumeKeys.task(name)).map(t -> Json.read(t.value(), RemoveBrickTask.class));
    }

    /**
     * Starts moving the files off whole sets of a distributed volume ({@code remove-brick start}):
     * the nodes hosting them start their {@link BrickMigration}; the bricks stay in the volume until
     * {@link #removeBricksCommit}.
     */
    public RemoveBrickTask removeBricksStart(String name, List<String> remove) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            if (removeBrickTask(name).isPresent()) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "a remove-brick is already running on volume " + name,
                        "commit or stop it first");
            }
            java.util.Set<Brick> leaving = bricksOf(v, remove);
            withoutSets(v, VolumeRules.layoutOf(v), leaving);
            RemoveBrickTask task = new RemoveBrickTask(name, leaving.stream().map(Brick::id).toList(), System.currentTimeMillis());
            run(Transaction.builder("volume-remove-brick-start").lock(VolumeKeys.lock(name)).context(VolumePlugin.CTX_VOLUME, json(v))
                    .context(VolumePlugin.CTX_BRICKS, String.join(",", task.brickIds()))
                    .step(VolumePlugin.MIGRATE_START, brickNodes(List.copyOf(leaving)))
                    .commit(ctx -> List.of(StoreOp.check(VolumeKeys.volume(name), rec.version()),
                            StoreOp.create(VolumeKeys.task(name), Json.write(task)))).build(), name, null, rec);
            return task;
        });
    }

    /** Each node's migration progress ({@code remove-brick status}). */
    public Map<NodeId, BrickMigration.Status> removeBricksStatus(String name) {
        Volume v = get(name);
        RemoveBrickTask task = task(name);
        Transaction t = Transaction.builder("volume-remove-brick-status").lock(VolumeKeys.lock(name))
                .context(VolumePlugin.CTX_VOLUME, json(v)).context(VolumePlugin.CTX_BRICKS, String.join(",", task.brickIds()))
                .step(VolumePlugin.MIGRATE_STATUS, leavingNodes(v, task)).build();
        TransactionResult r = node.transactions().execute(t);
        r.orThrow();
        Map<NodeId, BrickMigration.Status> out = new java.util.TreeMap<>();
        r.context().forEach((k, val) -> {
            if (k.startsWith(VolumePlugin.OUT_MIGRATION + "@")) {
                out.put(NodeId.of(k.substring(k.indexOf('@') + 1)), Json.read(val.getBytes(StandardCharsets.UTF_8),
                        BrickMigration.Status.class));
            }
        });
        return out;
    }

    /**
     * Removes the leaving sets once every node's migration is complete ({@code remove-brick commit}):
     * checked again inside the transaction, so an incomplete migration changes nothing.
     */
    public Volume removeBricksCommit(String name) {
        return withRetry(() -> {
            Versioned rec = record(name);
            Volume v = Json.read(rec.value(), Volume.class);
            RemoveBrickTask task = task(name);
            java.util.Set<Brick> leaving = new java.util.HashSet<>(v.bricks().stream().filter(b -> task.brickIds().contains(b.id())).toList());
            Volume after = withoutSets(v, VolumeRules.layoutOf(v), leaving);
            String auth = auth(v);
            OpVersion at = versions.read().clusterVersion();
            render(after, at, auth);
            run(Transaction.builder("volume-remove-brick-commit").lock(VolumeKeys.lock(name)).context(VolumePlugin.CTX_VOLUME, json(v))
                    .context(VolumePlugin.CTX_BRICKS, String.join(",", task.brickIds())).context(VolumePlugin.CTX_REQUIRE_COMPLETE, "yes")
                    .context(VolumePlugin.CTX_OPVERSION, at.toString()).context(VolumePlugin.CTX_AUTH, auth)
                    .context(VolumePlugin.CTX_VOLUME_AFTER, json(after))
                    .step(VolumePlugin.MIGRATE_STATUS, leavingNodes(v, task)).step(VolumePlugin.WRITE_VOLFILES, members())
                    .commit(ctx -> List.of(StoreOp.update(VolumeKeys.volume(name), Json.write(after), rec.version()),
                            StoreOp.delete(VolumeKeys.task(name)))).build(), name, null, rec);
            return after;
        });
    }

    /** Stops a running remove-brick; the bricks stay in the volume. */
    public void removeBricksStop(String name) {
        Versioned rec = record(name);
        Volume v = Json.read(rec.value(), Volume.class);
        RemoveBrickTask task = task(name);
        run(Transaction.builder("volume-remove-brick-stop").lock(VolumeKeys.lock(name)).context(VolumePlugin.CTX_VOLUME, json(v))
                .context(VolumePlugin.CTX_BRICKS, String.join(",", task.brickIds()))
                .step(VolumePlugin.MIGRATE_STOP, leavingNodes(v, task))
                .commit(ctx -> List.of(StoreOp.delete(VolumeKeys.task(name)))).build(), name, null, rec);
    }

    private RemoveBrickTask task(String name) {
        return removeBrickTask(name).orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND, "no remove-brick is running on volume "
                + name, "start one with removeBricksStart"));
    }

    private static List<NodeId> leavingNodes(Volume v, RemoveBrickTask task) {
        return brickNodes(v.bricks().stream().filter(b -> task.brickIds().contains(b.id())).toList());
    }

    private Volume changeBricks(Versioned rec, Volume after, List<Brick> added, BrickFlags flags, String op) {
        String name = after.name();
        if (removeBrickTask(name).isPresent()) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "a remove-brick is running on volume " + name,
                    "commit or stop it before changing the volume's bricks");
        }
        String auth = auth(after);
        OpVersion at = versions.read().clusterVersion();
        render(after, at, auth);
        Transaction.Builder t = Transaction.builder(op).lock(VolumeKeys.lock(name)).context(VolumePlugin.CTX_VOLUME, json(after))
                .context(VolumePlugin.CTX_FLAGS, json(flags)).context(VolumePlugin.CTX_OPVERSION, at.toString())
                .context(VolumePlugin.CTX_AUTH, auth);
        if (!added.isEmpty()) {
            t.context(VolumePlugin.CTX_BRICKS, String.join(",", added.stream().map(Brick::id).toList()))
                    .step(VolumePlugin.PREPARE_BRICKS, brickNodes(added));
        }
        t.step(VolumePlugin.WRITE_VOLFILES, members())
                .commit(ctx -> List.of(StoreOp.update(VolumeKeys.volume(name), Json.write(after), rec.version())));
        run(t.build(), name, null, rec);
        return after;
    }

    // =================================================================== machinery

    private record Needed(Optional<OpVersion> version, String what) {
    }

    /** The highest op-version the options need, and a sentence naming the key that needs it. */
    private Needed needed(Map<String, String> options, String volume) {
        OpVersion max = OpVersion.MIN;
        String key = "";
        for (String k : options.keySet()) {
            if (k.startsWith("user.")) {
                continue;
            }
            OpVersion o = catalog.opVersion(k);
            if (o.compareTo(max) > 0) {
                max = o;
                key = k;
            }
        }
        return new Needed(max.compareTo(OpVersion.MIN) > 0 ? Optional.of(max) : Optional.empty(),
                key.isEmpty() ? "volume " + volume : "option " + key + " of volume " + volume);
    }

    private static OpVersion versionAfter(ClusterVersions.Snapshot snap, List<StoreOp> ops) {
        for (StoreOp op : ops) {
            if (op instanceof StoreOp.Update u && u.key().equals(StoreLayout.CLUSTER_INFO)) {
                return OpVersion.of(Json.read(u.value(), ClusterInfo.class).opVersion());
            }
        }
        return snap.clusterVersion();
    }

    /** Renders on the coordinator first, so a volume volgen cannot render is refused before anything changes. */
    private record RenderKey(Volume volume, OpVersion at, String auth, boolean keptOnly) {
    }

    /**
     * Every volfile of the volume as it would be at {@code at}. Volgen is deterministic, so a
     * rendering is kept for its exact inputs: a change renders the volume as it was from the
     * previous change's rendering, and served files are not rendered again on every fetch.
     */
    private List<Volfile> render(Volume v, OpVersion at, String auth) {
        RenderKey key = new RenderKey(v, at, auth, false);
        List<Volfile> known = renderings.getIfPresent(key);
        if (known != null) {
            return known;
        }
        List<Volfile> files = plugin.volgen().generate(request(v, at, auth)).files();
        renderings.put(key, files);
        return files;
    }

    /** The files of the volume kept on some node's disk (see {@link #render}); from a full rendering when one is known. */
    private List<Volfile> renderKept(Volume v, OpVersion at, String auth) {
        RenderKey key = new RenderKey(v, at, auth, true);
        List<Volfile> known = renderings.getIfPresent(key);
        if (known != null) {
            return known;
        }
        List<Volfile> full = renderings.getIfPresent(new RenderKey(v, at, auth, false));
        List<Volfile> files = full != null ? full.stream().filter(f -> !f.placement().isServed()).toList()
                : plugin.volgen().generateKept(request(v, at, auth), Optional.empty()).files();
        renderings.put(key, files);
        return files;
    }

    private VolgenRequest request(Volume v, OpVersion at, String auth) {
        String[] a = auth.split(":", 2);
        return VolgenRequest.builder(v).clusterOpVersion(at).credentials(a[0], a[1]).workdir(plugin.workdir().toString()).build();
    }

    /** A volume's client credentials: made once at create and never changed, so kept per volume id after the first read. */
    private String auth(Volume v) {
        try {
            return authByVolumeId.get(v.id(), () -> auth(v.name()));
        } catch (java.util.concurrent.ExecutionException | com.google.common.util.concurrent.UncheckedExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private String auth(String name) {
        return node.store().get(VolumeKeys.auth(name)).map(Versioned::valueAsString).orElseThrow(() -> new GdException(
                ErrorCode.INTERNAL, "volume " + name + " has no credentials record", "the store is damaged; restore it from a backup"));
    }

    private Versioned record(String name) {
        return node.store().get(VolumeKeys.volume(name)).orElseThrow(() -> new GdException(ErrorCode.NOT_FOUND,
                "volume " + name + " does not exist", "list the volumes to see their names"));
    }

    /** Host names, addresses and ids of the members, to resolve bricks' hosts. */
    private Map<String, NodeId> hosts() {
        Map<String, NodeId> out = new HashMap<>();
        for (Peer p : node.membership().peers()) {
            if (p.state() == PeerState.LEFT) {
                continue;
            }
            out.put(p.id().value(), p.id());
            out.put(p.name(), p.id());
            for (String a : p.addresses()) {
                out.put(a, p.id());
                int c = a.lastIndexOf(':');
                if (c > 0) {
                    out.putIfAbsent(a.substring(0, c), p.id());
                }
            }
        }
        return out;
    }

    private List<NodeId> members() {
        // read from the store, not the watch-fed view: a node that joined a moment ago must get its volfiles too
        return node.membership().peers().stream().filter(p -> p.state() != PeerState.LEFT).map(Peer::id).sorted().toList();
    }

    /** The nodes that keep some of {@code files} on disk (brick hosts), sorted; served files are on none. */
    private static List<NodeId> keepingNodes(List<Volfile> files) {
        java.util.SortedSet<NodeId> out = new java.util.TreeSet<>();
        files.forEach(f -> out.addAll(f.placement().nodes()));
        return List.copyOf(out);
    }

    private static List<NodeId> brickNodes(List<Brick> bricks) {
        return bricks.stream().map(Brick::node).distinct().sorted().toList();
    }

    private void clearReport(String name, List<StoreOp> ops) {
        if (node.store().get(VolumeKeys.report(name)).isPresent()) {
            ops.add(StoreOp.delete(VolumeKeys.report(name)));
        }
    }

    private static String json(Object o) {
        return new String(Json.write(o), StandardCharsets.UTF_8);
    }

    private static String remedyFor(VolumeState s) {
        return switch (s) {
            case STARTED -> "stop the volume first";
            case CREATING, STARTING, STOPPING, DELETING -> "wait for the running operation to finish";
            default -> "check the volume's state and its failure report";
        };
    }

    /** Retries an operation whose commit lost a race on the volume record (another change came first). */
    private <T> T withRetry(java.util.function.Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (GdException e) {
                if (e.code() != ErrorCode.STORE_CONFLICT || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                LOG.info("volume record changed meanwhile; retrying ({})", e.getMessage());
            }
        }
    }

    /**
     * Runs a transaction; when it does not commit, keeps a failure report (and, for an existing
     * volume, its failed state when {@code failedState} is given) and throws an error naming every
     * node's step and problem.
     */
    private void run(Transaction t, String volume, VolumeState failedState, Versioned rec) {
        TransactionResult r = node.transactions().execute(t);
        if (r.committed()) {
            return;
        }
        GdException base = r.error().orElseGet(() -> new GdException(ErrorCode.INTERNAL, "transaction " + t.name() + " ended " + r.status()));
        if (base.code() == ErrorCode.STORE_CONFLICT && r.status() == TransactionResult.Status.ROLLED_BACK) {
            throw base;
        }
        List<NodeOutcome> bad = r.outcomes().stream().filter(NodeOutcome::isError).toList();
        List<NodeError> nodes = bad.stream().map(NodeOutcome::toNodeError).toList();
        ErrorCode code = r.status() == TransactionResult.Status.UNDO_PENDING ? ErrorCode.UNDO_PENDING
                : base.code() == ErrorCode.STEP_FAILED && !bad.isEmpty() && bad.get(0).code() != ErrorCode.INTERNAL
                        && bad.get(0).code() != ErrorCode.STEP_FAILED ? bad.get(0).code() : base.code();
        String how = switch (r.status()) {
            case ROLLED_BACK -> "; every change was undone on every node";
            case UNDO_PENDING -> "; some nodes still owe an undo and will make it when they are back (see the node errors)";
            case ABORTED -> "; recovery is undoing it";
            case COMMITTED -> "";
        };
        String remedy = !bad.isEmpty() && !bad.get(0).remedy().isEmpty() ? bad.get(0).remedy() : base.remedy();
        GdException e = new GdException(code, t.name().replace('-', ' ') + " of " + volume + " failed: " + base.getMessage() + how,
                remedy, nodes, base);
        VolumeState reportState = failedState == null ? (rec == null ? VolumeState.CREATE_FAILED : Json.read(rec.value(), Volume.class).state())
                : failedState;
        FailureReport report = new FailureReport(volume, t.name(), reportState, t.id(), code, e.getMessage(), remedy, nodes,
                System.currentTimeMillis());
        try {
            List<StoreOp> ops = new ArrayList<>();
            ops.add(StoreOp.put(VolumeKeys.report(volume), Json.write(report)));
            if (failedState != null && rec != null) {
                Volume v = Json.read(rec.value(), Volume.class);
                ops.add(StoreOp.update(VolumeKeys.volume(volume), Json.write(v.withState(failedState)), rec.version()));
            }
            node.store().commit(ops);
        } catch (RuntimeException re) {
            LOG.warn("could not keep the failure report of {} on {}: {}", t.name(), volume, re.toString());
        }
        throw e;
    }
}
