package dev.gdkit.testkit.cluster;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.store.memory.InMemoryStoreServer;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionObserver;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.core.transport.inprocess.InProcessNetwork;
import dev.gdkit.testkit.invariant.InvariantChecker;
import dev.gdkit.testkit.steps.RecordingSteps;
import dev.gdkit.testkit.steps.StepFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A whole cluster in one JVM: N {@link GdNode}s over one {@link InMemoryStoreServer} and one
 * {@link InProcessNetwork}, with the same code paths as real nodes. Faults: crash and restart a node
 * (its {@link NodeDisk} survives), crash a coordinator at a chosen point of a transaction
 * ({@link CrashPlan}), partition nodes, drop or delay messages, take the store away from one node
 * or from everyone, make steps fail ({@link StepFaults}).
 *
 * <pre>{@code
 * try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b", "c").build()) {
 *     TransactionResult r = c.execute(c.node(1), c.transaction("demo").lock("volume:v1")
 *             .step("a", c.ids()).step("b", c.ids()).step("c", c.ids()));
 *     assertThat(c.checker().check()).isEmpty();
 * }
 * }</pre>
 */
public final class SimulatedCluster implements AutoCloseable {
    /** The store key a testkit transaction creates when it commits. */
    public static final String COMMITTED = "committed";

    private final Builder settings;
    private final StoreBackend storeServer;
    private final InProcessNetwork network = new InProcessNetwork();
    private final StepFaults faults = new StepFaults();
    private final CrashPlan crashPlan = new CrashPlan();
    private final Map<NodeId, NodeDisk> disks = new LinkedHashMap<>();
    private final Map<NodeId, GdNode> live = new ConcurrentHashMap<>();
    private final Map<NodeId, dev.gdkit.core.store.ClusterStore> clients = new ConcurrentHashMap<>();
    private final Map<String, List<Map.Entry<String, List<NodeId>>>> plans = new ConcurrentHashMap<>();
    private final List<NodeId> ids = new ArrayList<>();
    private final Map<NodeId, OpVersionRange> rangeOverrides = new ConcurrentHashMap<>();
    private final Map<NodeId, int[]> protocolOverrides = new ConcurrentHashMap<>();

    private SimulatedCluster(Builder b) {
        this.settings = b;
        this.storeServer = b.backend != null ? b.backend : new InMemoryBackend(InMemoryStoreServer.builder()
                .operationTimeout(b.storeOperationTimeout).sessionTimeout(b.sessionTimeout).build());
        for (int i = 1; i <= b.nodes; i++) {
            NodeId id = NodeId.of("n" + i);
            ids.add(id);
            disks.put(id, new NodeDisk());
        }
        try {
            for (NodeId id : ids) {
                GdNode n = newNode(id).start();
                live.put(id, n);
                if (id.equals(ids.get(0))) {
                    n.bootstrap();
                } else {
                    n.join(live.get(ids.get(0)).address());
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a simulated cluster. */
    public static final class Builder {
        private int nodes = 3;
        private final List<String> recordingSteps = new ArrayList<>();
        private BiFunction<NodeId, NodeDisk, List<Step>> steps = (id, disk) -> List.of();
        private Function<NodeId, OpVersionRange> opVersions = id -> OpVersionRange.of(1, 1);
        private Duration lockWait = Duration.ofSeconds(10);
        private Duration stepDeadline = Duration.ofSeconds(5);
        private Duration recoveryInterval = Duration.ofMillis(200);
        private Duration undoBackoff = Duration.ofMillis(20);
        private int undoAttempts = 3;
        private Duration storeOperationTimeout = Duration.ofSeconds(2);
        private Duration sessionTimeout = Duration.ofSeconds(2);
        private StoreBackend backend;

        /**
         * The store to run on (default: a new in-memory store server with this builder's timeouts).
         * The cluster closes it.
         */
        public Builder backend(StoreBackend backend) {
            this.backend = backend;
            return this;
        }

        public Builder nodes(int n) {
            if (n < 1) {
                throw GdException.invalid("a simulated cluster needs at least one node, got " + n, "use nodes(1) or more");
            }
            this.nodes = n;
            return this;
        }

        /** Registers {@link RecordingSteps} with these names on every node. */
        public Builder recordingSteps(String... names) {
            recordingSteps.addAll(List.of(names));
            return this;
        }

        /** More steps for each node, made per node incarnation from its id and disk. */
        public Builder steps(BiFunction<NodeId, NodeDisk, List<Step>> factory) {
            this.steps = factory;
            return this;
        }

        public Builder opVersions(Function<NodeId, OpVersionRange> f) {
            this.opVersions = f;
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

        public Builder storeOperationTimeout(Duration d) {
            this.storeOperationTimeout = d;
            return this;
        }

        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = d;
            return this;
        }

        public SimulatedCluster build() {
            return new SimulatedCluster(this);
        }
    }

    private GdNode newNode(NodeId id) {
        NodeDisk disk = disks.get(id);
        List<Step> steps = new ArrayList<>();
        for (String s : settings.recordingSteps) {
            steps.add(RecordingSteps.step(s, disk, faults));
        }
        steps.addAll(settings.steps.apply(id, disk));
        dev.gdkit.core.store.ClusterStore client = storeServer.connect("gd");
        clients.put(id, client);
        int[] protocols = protocolOverrides.getOrDefault(id, new int[] {GdNode.PROTOCOL_VERSION, GdNode.PROTOCOL_VERSION});
        return GdNode.builder().id(id).store(client).transport(network.transport(id.value())).steps(steps)
                .opVersions(rangeOverrides.getOrDefault(id, settings.opVersions.apply(id)))
                .protocols(protocols[0], protocols[1]).localState(new DiskLocalState(disk)).lockWait(settings.lockWait).stepDeadline(settings.stepDeadline)
                .recoveryInterval(settings.recoveryInterval).undoAttempts(settings.undoAttempts)
                .undoBackoff(settings.undoBackoff).observer(crashObserver(id)).build();
    }

    private TransactionObserver crashObserver(NodeId id) {
        return new TransactionObserver() {
            @Override
            public void beforeStep(String txnId, String step, int index) {
                crashPlan.takeIf(CrashPlan.When.BEFORE_STEP, index).ifPresent(p -> die(id, p));
            }

            @Override
            public void afterStep(String txnId, String step, int index, boolean succeeded) {
                crashPlan.takeIf(CrashPlan.When.AFTER_STEP, index).ifPresent(p -> die(id, p));
            }

            @Override
            public void beforeCommit(String txnId) {
                crashPlan.takeIf(CrashPlan.When.BEFORE_COMMIT, -1).ifPresent(p -> die(id, p));
            }
        };
    }

    private void die(NodeId id, CrashPlan.Point p) {
        crash(id);
        throw new SimulatedCrash("node " + id + " crashed at " + p);
    }

    // ------------------------------------------------------------------ access

    public List<NodeId> ids() {
        return List.copyOf(ids);
    }

    public NodeId id(int oneBased) {
        return ids.get(oneBased - 1);
    }

    /** The running node {@code n<i>}; fails when it is crashed. */
    public GdNode node(int oneBased) {
        return node(id(oneBased));
    }

    public GdNode node(NodeId id) {
        GdNode n = live.get(id);
        if (n == null) {
            throw new IllegalStateException("node " + id + " is not running (crashed?)");
        }
        return n;
    }

    public boolean isRunning(NodeId id) {
        return live.containsKey(id);
    }

    /** A node's {@link dev.gdkit.core.node.LocalState} kept on its disk, so it survives restarts. */
    private record DiskLocalState(NodeDisk disk) implements dev.gdkit.core.node.LocalState {
        @Override
        public java.util.Optional<String> get(String key) {
            return java.util.Optional.ofNullable(disk.get("local/" + key));
        }

        @Override
        public void put(String key, String value) {
            disk.put("local/" + key, value);
        }
    }

    public NodeDisk disk(NodeId id) {
        return disks.get(id);
    }

    /** The store backend: snapshots, new clients, faults. */
    public StoreBackend store() {
        return storeServer;
    }

    public InProcessNetwork network() {
        return network;
    }

    public StepFaults faults() {
        return faults;
    }

    public CrashPlan crashPlan() {
        return crashPlan;
    }

    /** The namespace every node of this cluster uses in the store. */
    public String namespace() {
        return "gd";
    }

    // ------------------------------------------------------------------ transactions

    /**
     * A transaction builder that also records the plan for the invariant checker and commits the
     * {@code committed/<id>} marker. Add steps with {@link PlannedTransaction#step}.
     */
    public PlannedTransaction transaction(String name) {
        return new PlannedTransaction(name);
    }

    /** Runs a planned transaction with {@code coordinator} as coordinator. */
    public TransactionResult execute(GdNode coordinator, PlannedTransaction t) {
        Transaction txn = t.build();
        plans.put(txn.id(), List.copyOf(t.plan));
        return coordinator.transactions().execute(txn);
    }

    /** A testkit transaction: its steps are remembered so the checker can judge atomicity. */
    public final class PlannedTransaction {
        private final Transaction.Builder builder;
        private final List<Map.Entry<String, List<NodeId>>> plan = new ArrayList<>();
        private final String id = java.util.UUID.randomUUID().toString();

        private PlannedTransaction(String name) {
            this.builder = Transaction.builder(name).id(id).reqId("req-" + id.substring(0, 8));
            builder.commit(ctx -> List.of(dev.gdkit.core.store.StoreOp.put(COMMITTED + "/" + id, name)));
        }

        public String id() {
            return id;
        }

        public PlannedTransaction lock(String object) {
            builder.lock(object);
            return this;
        }

        public PlannedTransaction step(String step, List<NodeId> nodes) {
            builder.step(step, nodes);
            plan.add(Map.entry(step, List.copyOf(nodes)));
            return this;
        }

        public PlannedTransaction step(String step, NodeId... nodes) {
            return step(step, List.of(nodes));
        }

        public PlannedTransaction context(String key, String value) {
            builder.context(key, value);
            return this;
        }

        Transaction build() {
            return builder.build();
        }
    }

    /** The names of the {@link RecordingSteps} registered on every node (the steps the checker can judge). */
    public java.util.Set<String> recordingStepNames() {
        return java.util.Set.copyOf(settings.recordingSteps);
    }

    /** Every transaction run through {@link #execute}, with its plan. */
    public Map<String, List<Map.Entry<String, List<NodeId>>>> plans() {
        return Map.copyOf(plans);
    }

    // ------------------------------------------------------------------ faults

    /** Stops a node abruptly: transport gone, store session ended; its disk stays. */
    public void crash(NodeId id) {
        GdNode n = live.remove(id);
        if (n == null) {
            return;
        }
        n.close();
    }

    /** Starts a crashed node again with the same id and disk; it resumes membership and recovers. */
    public GdNode restart(NodeId id) {
        if (live.containsKey(id)) {
            throw new IllegalStateException("node " + id + " is running; crash it first");
        }
        GdNode n = newNode(id);
        try {
            n.start();
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        live.put(id, n);
        return n;
    }

    /**
     * Starts a crashed node again as a different release: with op-version range {@code range} and
     * node protocols {@code oldestProtocol..newestProtocol} (a rolling upgrade or downgrade).
     */
    public GdNode restart(NodeId id, OpVersionRange range, int oldestProtocol, int newestProtocol) {
        rangeOverrides.put(id, range);
        protocolOverrides.put(id, new int[] {oldestProtocol, newestProtocol});
        return restart(id);
    }

    /** Adds a node {@code n<N+1>} that is started but not a member; join it or invite it. */
    public GdNode addUnjoinedNode(OpVersionRange range, int oldestProtocol, int newestProtocol) {
        NodeId id = NodeId.of("n" + (ids.size() + 1));
        ids.add(id);
        disks.put(id, new NodeDisk());
        rangeOverrides.put(id, range);
        protocolOverrides.put(id, new int[] {oldestProtocol, newestProtocol});
        GdNode n = newNode(id).start();
        live.put(id, n);
        return n;
    }

    /** Forgets a node that never joined (after a refused join), so the checker does not expect it. */
    public void discard(NodeId id) {
        crash(id);
        ids.remove(id);
        disks.remove(id);
    }

    /** No messages between the two nodes, either way. */
    public void partition(NodeId a, NodeId b) {
        network.partition(a.value(), b.value());
    }

    /** Requests from {@code from} to {@code to} run but their replies are lost. */
    public void dropReplies(NodeId from, NodeId to) {
        network.dropReplies(from.value(), to.value());
    }

    public void delay(NodeId from, NodeId to, Duration d) {
        network.delay(from.value(), to.value(), d);
    }

    /** Removes network faults (not store faults). */
    public void heal() {
        network.heal();
    }

    /** Takes the store away from everyone (true) or brings it back (false). */
    public void storeOutage(boolean down) {
        storeServer.outage(down);
    }

    /** Cuts one node off the store; its session expires after the session timeout. */
    public void isolateFromStore(NodeId id, boolean isolated) {
        storeServer.isolate(clients.get(id), isolated);
    }

    /** Expires a node's store session now. */
    public void expireSession(NodeId id) {
        storeServer.expire(clients.get(id));
    }

    // ------------------------------------------------------------------ invariants

    public InvariantChecker checker() {
        return new InvariantChecker(this);
    }

    /** Waits until no transaction is running or being recovered; fails with the violations otherwise. */
    public void awaitQuiescent(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            last = checker().unfinished();
            if (last.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("cluster did not settle within " + timeout.toMillis() + " ms: " + last);
    }

    @Override
    public void close() {
        for (NodeId id : List.copyOf(live.keySet())) {
            crash(id);
        }
        network.close();
        storeServer.close();
    }
}
