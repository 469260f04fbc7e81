package dev.gdkit.core.transaction;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.core.concurrent.NamedThreads;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.membership.Membership;
import dev.gdkit.core.membership.PeerRecord;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreEvent;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.store.Watch;
import dev.gdkit.core.transaction.Journal.JournalStep;
import dev.gdkit.core.transaction.Journal.Phase;
import dev.gdkit.core.transaction.NodeOutcome.Outcome;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs transactions: as coordinator for the ones this node starts, as participant for steps other
 * coordinators send, and as recoverer for transactions whose coordinator died.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A transaction without steps is one store commit of its operations plus the check that its
 *       locks are free (no journal, no lock written).</li>
 *   <li>Locks and the journal are created in one atomic store commit; a transaction that cannot get
 *       its locks within the lock wait fails with {@link ErrorCode#LOCK_TIMEOUT} and changes nothing.</li>
 *   <li>Steps run in order; each step runs in parallel on its nodes.</li>
 *   <li>When a step fails anywhere, every step that ran (or may have) is undone in reverse order on
 *       each node where it ran, and only then are the locks released.</li>
 *   <li>The commit deletes the journal and the locks and applies the transaction's store operations
 *       in one atomic commit: the transaction is applied entirely or not at all.</li>
 *   <li>If the coordinator dies, a live node takes the journal over (compare-and-set, so exactly
 *       one does) and undoes the transaction; a coordinator that restarts does the same for its own.
 *       A participant refuses to run a step of a transaction it has begun to undo, and an undo waits
 *       for a run of the same transaction still in progress on that node.</li>
 *   <li>Every log line carries {@code reqid}, {@code txnid} and {@code node} in the MDC.</li>
 * </ul>
 */
public final class TransactionEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionEngine.class);

    private final NodeId self;
    private final ClusterStore store;
    private final Transport transport;
    private final Membership membership;
    private final StepRegistry registry;
    private final Duration lockWait;
    private final Duration stepDeadline;
    private final int undoAttempts;
    private final Duration undoBackoff;
    private final Duration recoveryInterval;
    private final TransactionObserver observer;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final Cache<String, Guard> guards = CacheBuilder.newBuilder().expireAfterAccess(Duration.ofMinutes(30))
            .maximumSize(100_000).build();
    private final Object lockMonitor = new Object();
    private final AtomicLong lockReleases = new AtomicLong();
    private final AtomicBoolean recovering = new AtomicBoolean();
    private volatile boolean closed;

    private TransactionEngine(Builder b) {
        this.self = b.self;
        this.store = b.store;
        this.transport = b.transport;
        this.membership = b.membership;
        this.registry = b.registry;
        this.lockWait = b.lockWait;
        this.stepDeadline = b.stepDeadline;
        this.undoAttempts = b.undoAttempts;
        this.undoBackoff = b.undoBackoff;
        this.recoveryInterval = b.recoveryInterval;
        this.observer = b.observer;
        this.workers = Executors.newCachedThreadPool(new NamedThreads("gd-txn-" + self));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new NamedThreads("gd-recovery-" + self));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings and parts of an engine. */
    public static final class Builder {
        private NodeId self;
        private ClusterStore store;
        private Transport transport;
        private Membership membership;
        private StepRegistry registry;
        private Duration lockWait = Duration.ofSeconds(30);
        private Duration stepDeadline = Duration.ofSeconds(60);
        private int undoAttempts = 3;
        private Duration undoBackoff = Duration.ofMillis(100);
        private Duration recoveryInterval = Duration.ofSeconds(5);
        private TransactionObserver observer = TransactionObserver.NONE;

        /** Observes this node's coordinated transactions (metrics, tracing, fault injection). */
        public Builder observer(TransactionObserver observer) {
            this.observer = java.util.Objects.requireNonNull(observer, "observer");
            return this;
        }

        public Builder self(NodeId self) {
            this.self = self;
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

        public Builder membership(Membership membership) {
            this.membership = membership;
            return this;
        }

        public Builder registry(StepRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** How long a transaction waits for a lock another transaction holds (default 30 s). */
        public Builder lockWait(Duration d) {
            this.lockWait = positive(d, "lockWait");
            return this;
        }

        /** The deadline of one step on one node (default 60 s). */
        public Builder stepDeadline(Duration d) {
            this.stepDeadline = positive(d, "stepDeadline");
            return this;
        }

        /** How many times an undo is tried on a node before it is left pending (default 3). */
        public Builder undoAttempts(int n) {
            if (n < 1) {
                throw GdException.invalid("undoAttempts must be at least 1, got " + n, "use 1 or more");
            }
            this.undoAttempts = n;
            return this;
        }

        public Builder undoBackoff(Duration d) {
            this.undoBackoff = positive(d, "undoBackoff");
            return this;
        }

        /** How often the node looks for orphaned transactions (default 5 s; also on every node loss). */
        public Builder recoveryInterval(Duration d) {
            this.recoveryInterval = positive(d, "recoveryInterval");
            return this;
        }

        public TransactionEngine build() {
            for (Object[] part : new Object[][] {{self, "self"}, {store, "store"}, {transport, "transport"},
                    {membership, "membership"}, {registry, "registry"}}) {
                if (part[0] == null) {
                    throw GdException.invalid("transaction engine needs its " + part[1], "call builder()." + part[1] + "(...)");
                }
            }
            return new TransactionEngine(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw GdException.invalid(what + " must be a positive duration, got " + d, "use for example Duration.ofSeconds(10)");
            }
            return d;
        }
    }

    /** Starts the recovery loop; finishes or undoes this node's own orphans first. */
    public void start() {
        membership.onNodeDown(n -> {
            if (!closed) {
                try {
                    scheduler.execute(this::recoverQuietly);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("engine closing; no recovery scan for {}", n);
                }
            }
        });
        recoverQuietly();
        long ms = recoveryInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::recoverQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    public NodeId self() {
        return self;
    }

    public StepRegistry registry() {
        return registry;
    }

    /** Ids of transactions this node is coordinating right now. */
    public Set<String> activeTransactions() {
        return Set.copyOf(active);
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        workers.shutdown(); // queued calls still complete: they fail at once because the engine is closed
    }

    // =================================================================== coordinator

    /**
     * Runs a transaction with this node as coordinator. A transaction that is invalid (see
     * {@link #validate}) or cannot get its locks throws and changes nothing; otherwise the result says
     * how it ended and what happened on every node. When the store stays unreachable past its
     * operation timeout the call throws {@link StoreUnavailableException}: whatever the transaction
     * had started is then undone by recovery (this node's, or a survivor's), never left half applied.
     */
    public TransactionResult execute(Transaction t) {
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put("reqid", t.reqId());
        MDC.put("txnid", t.id());
        MDC.put("node", self.value());
        try {
            validate(t);
            Journal journal = new Journal(t.id(), t.name(), t.reqId(), self.value(), self.value(), Phase.RUNNING, 0,
                    List.copyOf(t.locks()),
                    t.steps().stream().map(s -> new JournalStep(s.step(), s.nodes().stream().map(NodeId::value).toList())).toList(),
                    t.context(), Map.of(), System.currentTimeMillis());
            active.add(t.id());
            try {
                if (t.steps().isEmpty()) {
                    return commitAlone(t);
                }
                acquire(t, journal);
                LOG.info("transaction {} started: {} step(s), locks {}", t.name(), t.steps().size(), t.locks());
                return runSteps(t, journal);
            } finally {
                active.remove(t.id());
            }
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    /**
     * Refuses, before anything runs or changes, a transaction that could not run as asked: no
     * steps and no commit, a step named twice, a step with no nodes or a node twice, a node that is
     * not a member or is down, a step a target node does not have, or a step introduced after the
     * cluster's (or a target node's) op-version.
     */
    public void validate(Transaction t) {
        for (String l : t.locks()) {
            if (l.isEmpty() || l.contains("/")) {
                throw new GdException(ErrorCode.TRANSACTION_INVALID, "transaction " + t.name() + " has an invalid lock name '" + l + "'",
                        "lock names are single key segments such as 'volume:vol1'");
            }
            StoreKeys.check(StoreLayout.lock(l));
        }
        if (t.steps().isEmpty() && t.commitOps(t.context()).isEmpty()) {
            throw new GdException(ErrorCode.TRANSACTION_INVALID, "transaction " + t.name() + " has no steps and nothing to commit",
                    "add at least one step or one store operation");
        }
        Set<String> names = new HashSet<>();
        // read only when a step is gated above the lowest op-version (a store read saved on most transactions)
        java.util.function.Supplier<OpVersion> clusterVersion = com.google.common.base.Suppliers.memoize(membership::clusterOpVersion);
        for (int i = 0; i < t.steps().size(); i++) {
            StepPlan plan = t.steps().get(i);
            if (!names.add(plan.step())) {
                throw new GdException(ErrorCode.TRANSACTION_INVALID, "transaction " + t.name() + " names step '" + plan.step()
                        + "' twice (again at position " + i + ")", "give every step of a transaction a distinct name");
            }
            if (plan.nodes().isEmpty()) {
                throw new GdException(ErrorCode.TRANSACTION_INVALID, "step '" + plan.step() + "' of transaction " + t.name()
                        + " has no nodes to run on", "list at least one node for every step");
            }
            if (new HashSet<>(plan.nodes()).size() != plan.nodes().size()) {
                throw new GdException(ErrorCode.TRANSACTION_INVALID, "step '" + plan.step() + "' lists a node twice: " + plan.nodes(),
                        "list each node once per step");
            }
            Step local = registry.find(plan.step()).orElseThrow(() -> new GdException(ErrorCode.STEP_UNKNOWN,
                    "step '" + plan.step() + "' is not registered on the coordinator " + self,
                    "register the step (or install the plugin that provides it) on every node"));
            if (local.introducedIn().compareTo(OpVersion.MIN) > 0 && local.introducedIn().compareTo(clusterVersion.get()) > 0) {
                throw new GdException(ErrorCode.OP_VERSION_TOO_LOW, "step '" + plan.step() + "' needs op-version "
                        + local.introducedIn() + " but the cluster runs op-version " + clusterVersion.get(),
                        "raise the cluster's op-version once every node supports " + local.introducedIn());
            }
            for (NodeId n : plan.nodes()) {
                PeerRecord cached = membership.record(n).orElse(null);
                if (cached == null || cached.state() == PeerState.LEFT || !cached.steps().contains(plan.step())
                        || local.introducedIn().value() > cached.maxOpVersion()) {
                    cached = null; // the local view may lag the store: judge by the store itself
                }
                PeerRecord r = (cached != null ? Optional.of(cached) : membership.freshRecord(n)).orElseThrow(() -> new GdException(ErrorCode.NODE_NOT_IN_CLUSTER,
                        "step '" + plan.step() + "' names node " + n + ", which is not a member of the cluster",
                        "add the node with 'peer add' or remove it from the request"));
                if (r.state() == PeerState.LEFT) {
                    throw new GdException(ErrorCode.NODE_NOT_IN_CLUSTER, "step '" + plan.step() + "' names node " + n
                            + ", which has left the cluster", "remove it from the request");
                }
                if (!r.steps().contains(plan.step())) {
                    throw new GdException(ErrorCode.STEP_UNKNOWN, "node " + n + " does not have step '" + plan.step() + "'",
                            "upgrade node " + n + " or install the plugin that provides the step there");
                }
                if (local.introducedIn().value() > r.maxOpVersion()) {
                    throw new GdException(ErrorCode.OP_VERSION_TOO_LOW, "step '" + plan.step() + "' needs op-version "
                            + local.introducedIn() + " but node " + n + " supports at most " + r.maxOpVersion(),
                            "upgrade node " + n);
                }
                if (!membership.isAlive(n)) {
                    throw new GdException(ErrorCode.NODE_UNREACHABLE, "node " + n + " is down (no live store session); step '"
                            + plan.step() + "' cannot run there", "start node " + n + " or wait until it reconnects");
                }
            }
        }
    }

    private void acquire(Transaction t, Journal journal) {
        List<StoreOp> ops = new ArrayList<>();
        ops.add(StoreOp.create(StoreLayout.txn(t.id()), Json.write(journal)));
        for (String l : t.locks()) {
            ops.add(StoreOp.create(StoreLayout.lock(l), t.id()));
        }
        commitReadingBack(t, ops);
    }

    /**
     * {@link #commitWhenUnlocked} that survives a broken connection to one store server (the client
     * moves to another): a commit whose outcome is unknown is read back, and one that did not apply
     * is sent again, up to three times. Throws when the store stays unreachable or the read-back
     * cannot tell.
     */
    private void commitReadingBack(Transaction t, List<StoreOp> ops) {
        for (int attempt = 1; ; attempt++) {
            try {
                commitWhenUnlocked(t, ops);
                return;
            } catch (StoreUnavailableException e) {
                if (closed || attempt >= 3) {
                    throw e;
                }
                if (e.outcomeUnknown()) {
                    CommitReadBack.Seen seen = CommitReadBack.check(store, ops);
                    if (seen == CommitReadBack.Seen.APPLIED) {
                        LOG.info("commit of {} was cut off but had applied", t.name());
                        return;
                    }
                    if (seen == CommitReadBack.Seen.CANNOT_TELL) {
                        throw e;
                    }
                }
                LOG.warn("commit of {} did not apply ({}); sending it again", t.name(), e.getMessage());
            }
        }
    }

    /**
     * Commits {@code ops}, waiting while one of the transaction's locks is held (the commit fails on
     * the lock's key then); throws LOCK_TIMEOUT after the lock wait, and any other conflict at once.
     */
    private void commitWhenUnlocked(Transaction t, List<StoreOp> ops) {
        long deadline = System.nanoTime() + lockWait.toNanos();
        // Only a waiting coordinator watches a lock, and only the one it waits for: a pool of
        // thousands of nodes does not wake every node on every lock change.
        Map<String, Watch> watching = new HashMap<>();
        try {
            while (true) {
                long seen = lockReleases.get();
                try {
                    store.commit(ops);
                    return;
                } catch (StoreConflictException e) {
                    if (!e.key().startsWith(StoreLayout.LOCKS + "/")) {
                        throw e;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw lockTimeout(t, e.key());
                    }
                    if (!watching.containsKey(e.key())) {
                        watching.put(e.key(), store.watch(e.key(), ev -> {
                            if (ev.type() == StoreEvent.Type.DELETED) {
                                lockReleases.incrementAndGet();
                                synchronized (lockMonitor) {
                                    lockMonitor.notifyAll();
                                }
                            }
                        }));
                        continue; // it may have been released before the watch was in place
                    }
                    synchronized (lockMonitor) {
                        if (lockReleases.get() == seen) {
                            try {
                                lockMonitor.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                            } catch (InterruptedException ie) {
                                Thread.currentThread().interrupt();
                                throw new GdException(ErrorCode.LOCK_TIMEOUT, "interrupted while waiting for " + e.key(), "retry");
                            }
                        }
                    }
                }
            }
        } finally {
            watching.values().forEach(Watch::close);
        }
    }

    /**
     * A transaction without steps runs nothing on any node, so it needs no journal and holds no
     * lock: its store operations commit in one store commit that also checks that none of its locks
     * is held (waiting, like any transaction, while one is). Another transaction holding the lock
     * therefore never sees the change between its steps, and a crash leaves nothing to undo.
     */
    private TransactionResult commitAlone(Transaction t) {
        Map<String, String> ctx = new HashMap<>(t.context());
        List<StoreOp> ops = new ArrayList<>();
        for (String l : t.locks()) {
            ops.add(StoreOp.checkAbsent(StoreLayout.lock(l)));
        }
        try {
            ops.addAll(t.commitOps(ctx));
        } catch (GdException e) {
            return new TransactionResult(t.id(), t.name(), TransactionResult.Status.ROLLED_BACK, List.of(), ctx, Optional.of(e));
        } catch (RuntimeException e) {
            return new TransactionResult(t.id(), t.name(), TransactionResult.Status.ROLLED_BACK, List.of(), ctx,
                    Optional.of(new GdException(ErrorCode.STEP_FAILED, "transaction " + t.name()
                            + " could not compute its store changes: " + e.getMessage(), "fix the request and retry")));
        }
        observer.beforeCommit(t.id());
        try {
            commitReadingBack(t, ops);
        } catch (StoreConflictException e) {
            LOG.warn("commit of {} conflicted on {}; nothing was changed", t.name(), e.key());
            return new TransactionResult(t.id(), t.name(), TransactionResult.Status.ROLLED_BACK, List.of(), ctx,
                    Optional.of(new GdException(ErrorCode.STORE_CONFLICT, "transaction " + t.name() + " could not commit: "
                            + e.getMessage() + "; nothing was changed", "another operation changed '" + e.key() + "' meanwhile; retry")));
        }
        LOG.info("transaction {} committed (no steps: one store commit)", t.name());
        return new TransactionResult(t.id(), t.name(), TransactionResult.Status.COMMITTED, List.of(), ctx, Optional.empty());
    }

    private GdException lockTimeout(Transaction t, String lockKey) {
        String object = StoreKeys.name(lockKey);
        String holder = store.get(lockKey).map(Versioned::valueAsString).orElse("(released just now)");
        String detail = store.get(StoreLayout.txn(holder)).map(v -> Json.read(v.value(), Journal.class))
                .map(j -> " (" + j.name() + " coordinated by " + j.coordinator() + ")").orElse("");
        return new GdException(ErrorCode.LOCK_TIMEOUT, "transaction " + t.name() + " waited " + lockWait.toMillis()
                + " ms for lock '" + object + "', held by transaction " + holder + detail + "; nothing was changed",
                "retry when the other operation on '" + object + "' has finished");
    }

    private TransactionResult runSteps(Transaction t, Journal journal) {
        Map<String, String> ctx = new HashMap<>(t.context());
        List<NodeOutcome> outcomes = new ArrayList<>();
        int version = 0;
        for (int i = 0; i < t.steps().size(); i++) {
            StepPlan plan = t.steps().get(i);
            if (i > 0) {
                Optional<Integer> v = casJournal(journal = journal.dispatching(i, ctx), version);
                if (v.isEmpty()) {
                    return aborted(t, outcomes, ctx);
                }
                version = v.get();
            }
            observer.beforeStep(t.id(), plan.step(), i);
            Map<NodeId, NodeOutcome> stepOutcomes = new LinkedHashMap<>();
            Map<String, String> outputs = new HashMap<>();
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (NodeId n : plan.nodes()) {
                StepCall call = new StepCall(t.id(), t.reqId(), plan.step(), i, self, n, ctx);
                calls.add(dispatchRun(n, call).handle((reply, err) -> {
                    NodeOutcome o = classifyRun(n, plan.step(), call.stepIndex(), reply, err);
                    synchronized (stepOutcomes) {
                        stepOutcomes.put(n, o);
                        if (o.outcome() == Outcome.SUCCEEDED) {
                            outputs.putAll(reply.outputs());
                        }
                    }
                    return null;
                }));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
            List<NodeOutcome> ordered = plan.nodes().stream().map(stepOutcomes::get).toList();
            outcomes.addAll(ordered);
            observer.afterStep(t.id(), plan.step(), i, ordered.stream().allMatch(o -> o.outcome() == Outcome.SUCCEEDED));
            if (ordered.stream().anyMatch(o -> o.outcome() != Outcome.SUCCEEDED)) {
                NodeOutcome first = ordered.stream().filter(o -> o.outcome() != Outcome.SUCCEEDED).findFirst().orElseThrow();
                LOG.warn("step {} failed on {}: {}; undoing", plan.step(), first.node(), first.message());
                Set<NodeId> mayHaveRun = new HashSet<>();
                ordered.stream().filter(o -> o.outcome() == Outcome.SUCCEEDED || o.outcome() == Outcome.UNKNOWN)
                        .forEach(o -> mayHaveRun.add(o.node()));
                return rollBack(t.name(), journal, version, i, mayHaveRun, ctx, outcomes,
                        new GdException(ErrorCode.STEP_FAILED, "transaction " + t.name() + " failed at step '" + plan.step()
                                + "' on node " + first.node() + ": " + first.message(), first.remedy()));
            }
            ctx.putAll(outputs);
        }
        observer.beforeCommit(t.id());
        return commit(t, journal, version, ctx, outcomes);
    }

    private TransactionResult commit(Transaction t, Journal journal, int version, Map<String, String> ctx,
                                     List<NodeOutcome> outcomes) {
        List<StoreOp> ops = new ArrayList<>();
        ops.add(StoreOp.delete(StoreLayout.txn(t.id()), version));
        for (String l : t.locks()) {
            ops.add(StoreOp.delete(StoreLayout.lock(l)));
        }
        List<StoreOp> extra;
        try {
            extra = t.commitOps(ctx);
        } catch (GdException e) {
            return rollBack(t.name(), journal, version, t.steps().size() - 1, allNodes(t), ctx, outcomes, e);
        } catch (RuntimeException e) {
            return rollBack(t.name(), journal, version, t.steps().size() - 1, allNodes(t), ctx, outcomes,
                    new GdException(ErrorCode.STEP_FAILED, "transaction " + t.name() + " could not compute its store changes: " + e.getMessage(),
                            "fix the request and retry"));
        }
        ops.addAll(extra);
        while (true) {
            try {
                store.commit(ops);
                LOG.info("transaction {} committed", t.name());
                return new TransactionResult(t.id(), t.name(), TransactionResult.Status.COMMITTED, outcomes, ctx, Optional.empty());
            } catch (StoreConflictException e) {
                if (e.key().equals(StoreLayout.txn(t.id()))) {
                    return aborted(t, outcomes, ctx);
                }
                LOG.warn("commit of {} conflicted on {}; undoing", t.name(), e.key());
                return rollBack(t.name(), journal, version, t.steps().size() - 1, allNodes(t), ctx, outcomes,
                        new GdException(ErrorCode.STORE_CONFLICT, "transaction " + t.name() + " could not commit: " + e.getMessage()
                                + "; every step was undone", "another operation changed '" + e.key() + "' meanwhile; retry"));
            } catch (StoreUnavailableException e) {
                if (closed) {
                    throw e;
                }
                // The commit did not apply when the store says so; otherwise look before retrying.
                Optional<Versioned> j = waitForStore(() -> store.get(StoreLayout.txn(t.id())));
                if (j.isEmpty()) {
                    return new TransactionResult(t.id(), t.name(), TransactionResult.Status.COMMITTED, outcomes, ctx, Optional.empty());
                }
                if (j.get().version() != version) {
                    return aborted(t, outcomes, ctx);
                }
            }
        }
    }

    private <T> T waitForStore(java.util.function.Supplier<T> read) {
        while (true) {
            try {
                return read.get();
            } catch (StoreUnavailableException e) {
                if (closed) {
                    throw e;
                }
                LOG.warn("store unavailable while finishing a transaction; retrying: {}", e.getMessage());
            }
        }
    }

    private static Set<NodeId> allNodes(Transaction t) {
        return t.steps().isEmpty() ? Set.of() : Set.copyOf(t.steps().get(t.steps().size() - 1).nodes());
    }

    private TransactionResult aborted(Transaction t, List<NodeOutcome> outcomes, Map<String, String> ctx) {
        LOG.warn("transaction {} was taken over by recovery (this node lost its store session); it is being undone", t.name());
        return new TransactionResult(t.id(), t.name(), TransactionResult.Status.ABORTED, outcomes, ctx,
                Optional.of(new GdException(ErrorCode.TRANSACTION_ABORTED, "transaction " + t.name() + " lost its coordinator's"
                        + " store session and is being undone by another node", "retry the operation")));
    }

    /** Writes the journal if it is still at {@code version}; empty when another node took it over. */
    private Optional<Integer> casJournal(Journal j, int version) {
        try {
            store.update(StoreLayout.txn(j.txnId()), Json.write(j), version);
            return Optional.of(version + 1);
        } catch (StoreConflictException e) {
            return Optional.empty();
        }
    }

    private CompletableFuture<StepReply> dispatchRun(NodeId node, StepCall call) {
        if (node.equals(self)) {
            return local(() -> handleRun(call));
        }
        try {
            return transport.runStep(membership.addressOf(node), call, stepDeadline);
        } catch (GdException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<StepReply> dispatchUndo(NodeId node, StepCall call) {
        if (node.equals(self)) {
            return local(() -> handleUndo(call));
        }
        try {
            return transport.undoStep(membership.addressOf(node), call, stepDeadline);
        } catch (GdException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Optional<GdException> asUndoError(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return Optional.of(c instanceof GdException g ? g : new GdException(ErrorCode.INTERNAL, String.valueOf(c), ""));
    }

    /** Runs a call on this node's worker pool; fails (never hangs) once the engine is closed. */
    private <T> CompletableFuture<T> local(java.util.function.Supplier<T> call) {
        try {
            return CompletableFuture.supplyAsync(call, workers);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(TransportException.unreachable(self.value(), "the node is shutting down", false, e));
        }
    }

    private static NodeOutcome classifyRun(NodeId n, String step, int index, StepReply reply, Throwable err) {
        if (err == null) {
            return reply.ok() ? NodeOutcome.ok(n, step, index, Outcome.SUCCEEDED)
                    : new NodeOutcome(n, step, index, Outcome.FAILED, reply.code(), reply.message(), reply.remedy());
        }
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof TransportException te) {
            return new NodeOutcome(n, step, index, te.outcomeUnknown() ? Outcome.UNKNOWN : Outcome.FAILED, te.code(),
                    te.getMessage(), te.outcomeUnknown() ? "the step may have run there; it was undone if the node could be reached"
                    : te.remedy());
        }
        if (cause instanceof GdException ge) {
            return new NodeOutcome(n, step, index, Outcome.FAILED, ge.code(), ge.getMessage(), ge.remedy());
        }
        return new NodeOutcome(n, step, index, Outcome.UNKNOWN, ErrorCode.INTERNAL, String.valueOf(cause), "");
    }

    // =================================================================== rollback

    /**
     * Undoes steps {@code failedIndex} down to 0. The failed step is undone only on
     * {@code mayHaveRun}; earlier steps on all their nodes. A node whose undo cannot be done owes it
     * (and every earlier one): the journal keeps that, the locks are released, and the node undoes
     * when it is back.
     */
    private TransactionResult rollBack(String name, Journal journal, int version, int failedIndex, Set<NodeId> mayHaveRun,
                                       Map<String, String> ctx, List<NodeOutcome> outcomes, GdException cause) {
        Optional<Integer> v = casJournal(journal = journal.undoing(self.value()).dispatching(failedIndex, ctx), version);
        if (v.isEmpty()) {
            return new TransactionResult(journal.txnId(), name, TransactionResult.Status.ABORTED, outcomes, ctx,
                    Optional.of(new GdException(ErrorCode.TRANSACTION_ABORTED, cause.getMessage()
                            + "; another node took the transaction over and is undoing it", "retry the operation")));
        }
        List<NodeOutcome> all = new ArrayList<>(outcomes);
        Map<String, List<Integer>> pending = undoAll(journal, failedIndex, mayHaveRun, ctx, all);
        finishUndo(journal, v.get(), pending);
        List<NodeError> errors = all.stream().filter(NodeOutcome::isError).map(NodeOutcome::toNodeError).toList();
        boolean owed = !pending.isEmpty();
        String message = cause.getMessage() + (owed ? "; some undos are pending on unreachable nodes " + pending.keySet()
                : "; every completed step was undone");
        String remedy = cause.remedy() + (owed ? (cause.remedy().isEmpty() ? "" : "; ")
                + "the nodes listed will undo when they come back" : "");
        return new TransactionResult(journal.txnId(), name, owed ? TransactionResult.Status.UNDO_PENDING
                : TransactionResult.Status.ROLLED_BACK, all, ctx,
                Optional.of(new GdException(cause.code(), message, remedy, errors, null)));
    }

    private Map<String, List<Integer>> undoAll(Journal j, int fromIndex, Set<NodeId> firstStepNodes,
                                               Map<String, String> ctx, List<NodeOutcome> outcomes) {
        Map<String, List<Integer>> pending = new LinkedHashMap<>();
        for (int s = fromIndex; s >= 0; s--) {
            JournalStep step = j.steps().get(s);
            List<NodeId> nodes = new ArrayList<>();
            for (String n : step.nodes()) {
                NodeId id = NodeId.of(n);
                if (s == fromIndex && firstStepNodes != null && !firstStepNodes.contains(id)) {
                    continue;
                }
                if (pending.containsKey(n)) {
                    pending.get(n).add(s);
                    outcomes.add(new NodeOutcome(id, step.step(), s, Outcome.UNDO_PENDING, ErrorCode.UNDO_PENDING,
                            "node owes the undo of a later step first", "it will undo when it is back"));
                    continue;
                }
                nodes.add(id);
            }
            Map<NodeId, CompletableFuture<Optional<GdException>>> calls = new LinkedHashMap<>();
            for (NodeId n : nodes) {
                StepCall call = new StepCall(j.txnId(), j.reqId(), step.step(), s, self, n, ctx);
                calls.put(n, undoWithRetries(n, call));
            }
            for (Map.Entry<NodeId, CompletableFuture<Optional<GdException>>> e : calls.entrySet()) {
                Optional<GdException> err = e.getValue().join();
                if (err.isEmpty()) {
                    outcomes.add(NodeOutcome.ok(e.getKey(), step.step(), s, Outcome.UNDONE));
                } else {
                    pending.computeIfAbsent(e.getKey().value(), k -> new ArrayList<>()).add(s);
                    outcomes.add(new NodeOutcome(e.getKey(), step.step(), s, Outcome.UNDO_PENDING, ErrorCode.UNDO_PENDING,
                            "undo could not run: " + err.get().getMessage(),
                            "node " + e.getKey() + " will undo it when it is back; if it never comes back, remove the peer"));
                }
            }
        }
        return pending;
    }

    private CompletableFuture<Optional<GdException>> undoWithRetries(NodeId node, StepCall call) {
        return this.<Optional<GdException>>local(() -> {
            GdException last = null;
            for (int attempt = 1; attempt <= undoAttempts; attempt++) {
                try {
                    StepReply r = dispatchUndo(node, call).get();
                    if (r.ok()) {
                        return Optional.empty();
                    }
                    last = new GdException(r.code(), r.message(), r.remedy());
                } catch (ExecutionException e) {
                    last = e.getCause() instanceof GdException ge ? ge
                            : new GdException(ErrorCode.INTERNAL, String.valueOf(e.getCause()), "");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.of(new GdException(ErrorCode.INTERNAL, "interrupted", ""));
                }
                if (attempt < undoAttempts) {
                    sleep(undoBackoff.multipliedBy(1L << (attempt - 1)));
                }
            }
            LOG.warn("undo of {} on {} failed {} time(s): {}", call.step(), node, undoAttempts, last.getMessage());
            return Optional.of(last);
        }).exceptionally(TransactionEngine::asUndoError);
    }

    private void finishUndo(Journal j, int version, Map<String, List<Integer>> pending) {
        List<StoreOp> ops = new ArrayList<>();
        if (pending.isEmpty()) {
            ops.add(StoreOp.delete(StoreLayout.txn(j.txnId()), version));
        } else {
            ops.add(StoreOp.update(StoreLayout.txn(j.txnId()), Json.write(j.pending(pending)), version));
        }
        for (String l : j.locks()) {
            ops.add(StoreOp.delete(StoreLayout.lock(l)));
        }
        waitForStore(() -> {
            try {
                store.commit(ops);
            } catch (StoreConflictException e) {
                LOG.warn("finishing the undo of {} found {} changed; another node finished it", j.txnId(), e.key());
            }
            return null;
        });
        LOG.info("transaction {} undone{}", j.name(), pending.isEmpty() ? "" : ", undo pending on " + pending.keySet());
    }

    // =================================================================== participant

    /** Runs a step on this node, as asked by a coordinator (or by this node for itself). */
    public StepReply handleRun(StepCall call) {
        return onNode(call, true);
    }

    /** Undoes a step on this node. From then on the node refuses to run steps of that transaction. */
    public StepReply handleUndo(StepCall call) {
        return onNode(call, false);
    }

    private StepReply onNode(StepCall call, boolean run) {
        if (closed) {
            return StepReply.failure(self, ErrorCode.NODE_UNREACHABLE, "node " + self + " is shutting down; step '" + call.step()
                    + "' was not " + (run ? "run" : "undone"), "retry when the node is back");
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put("reqid", call.reqId());
        MDC.put("txnid", call.txnId());
        MDC.put("node", self.value());
        try {
            if (!call.target().equals(self)) {
                return StepReply.failure(self, ErrorCode.NODE_NOT_IN_CLUSTER, "step call for node " + call.target()
                        + " reached node " + self, "the peer's address in the store is stale; restart node " + call.target());
            }
            if (run && membership.record(self).map(r -> r.state() == PeerState.LEFT).orElse(false)) {
                return StepReply.failure(self, ErrorCode.NODE_NOT_IN_CLUSTER, "node " + self + " has left the cluster and runs no steps",
                        "add the node to the cluster again before using it");
            }
            Optional<Step> step = registry.find(call.step());
            if (step.isEmpty()) {
                return StepReply.failure(self, ErrorCode.STEP_UNKNOWN, "node " + self + " does not have step '" + call.step() + "'",
                        "upgrade node " + self + " or install the plugin that provides the step");
            }
            Guard g;
            try {
                g = guards.get(call.txnId(), Guard::new);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
            g.lock.lock();
            try {
                if (run && g.fenced) {
                    return StepReply.failure(self, ErrorCode.TRANSACTION_ABORTED, "transaction " + call.txnId()
                            + " is being undone on node " + self + "; step '" + call.step() + "' was not run", "retry the operation");
                }
                if (!run) {
                    g.fenced = true;
                }
                StepContext ctx = new StepContext(call.txnId(), call.reqId(), self, call.step(), call.stepIndex(), call.context());
                LOG.debug("{} step {}", run ? "running" : "undoing", call.step());
                if (run) {
                    step.get().run(ctx);
                } else {
                    step.get().undo(ctx);
                }
                return StepReply.success(self, ctx.outputs());
            } catch (GdException e) {
                LOG.warn("{} of step {} failed: {}", run ? "run" : "undo", call.step(), e.getMessage());
                return StepReply.failure(self, e.code(), e.getMessage(), e.remedy());
            } catch (Exception e) {
                LOG.warn("{} of step {} failed: {}", run ? "run" : "undo", call.step(), e.toString());
                LOG.debug("step failure detail", e);
                return StepReply.failure(self, ErrorCode.STEP_FAILED, e.getMessage() == null ? e.toString() : e.getMessage(), "");
            } finally {
                g.lock.unlock();
            }
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    private static final class Guard {
        final ReentrantLock lock = new ReentrantLock();
        boolean fenced;
    }

    // =================================================================== recovery

    /**
     * Looks once for transactions to finish: orphans of a dead coordinator (or of this node before
     * a restart) are taken over and undone; undos this node owes are done. Safe to call any time.
     */
    public void recoverNow() {
        if (!recovering.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Versioned v : store.children(StoreLayout.TXNS)) {
                if (closed) {
                    return;
                }
                Journal j = Json.read(v.value(), Journal.class);
                MDC.put("txnid", j.txnId());
                MDC.put("reqid", j.reqId());
                MDC.put("node", self.value());
                try {
                    if (j.phase() == Phase.UNDO_PENDING) {
                        payOwedUndos(j, v.version());
                    } else if (orphaned(j)) {
                        takeOver(j, v.version());
                    }
                } finally {
                    MDC.clear();
                }
            }
        } finally {
            recovering.set(false);
        }
    }

    private void recoverQuietly() {
        try {
            recoverNow();
        } catch (GdException e) {
            LOG.debug("recovery scan skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("recovery scan failed", e);
        }
    }

    private boolean orphaned(Journal j) {
        if (j.owner().equals(self.value())) {
            return !active.contains(j.txnId());
        }
        return !membership.isAliveInStore(NodeId.of(j.owner()));
    }

    private void takeOver(Journal j, int version) {
        Journal mine = j.undoing(self.value());
        Optional<Integer> v = casJournal(mine, version);
        if (v.isEmpty()) {
            return;
        }
        LOG.warn("taking over transaction {} of {} (owner {} is gone) and undoing it from step {}", j.name(),
                j.coordinator(), j.owner(), j.dispatched());
        List<NodeOutcome> outcomes = new ArrayList<>();
        Map<String, List<Integer>> pending = undoAll(mine, Math.min(j.dispatched(), j.steps().size() - 1), null,
                j.context(), outcomes);
        finishUndo(mine, v.get(), pending);
    }

    private void payOwedUndos(Journal j, int version) {
        Map<String, List<Integer>> pending = new LinkedHashMap<>(j.pendingUndo());
        boolean changed = false;
        List<Integer> mine = pending.get(self.value());
        if (mine != null) {
            boolean allDone = true;
            for (int s : mine) {
                StepReply r = handleUndo(new StepCall(j.txnId(), j.reqId(), j.steps().get(s).step(), s, self, self, j.context()));
                if (!r.ok()) {
                    LOG.warn("owed undo of {} still fails: {}", j.steps().get(s).step(), r.message());
                    allDone = false;
                    break;
                }
            }
            if (allDone) {
                pending.remove(self.value());
                changed = true;
                LOG.info("paid owed undo of transaction {}", j.name());
            }
        }
        for (String n : List.copyOf(pending.keySet())) {
            if (!membership.isMember(NodeId.of(n))) {
                pending.remove(n);
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        try {
            if (pending.isEmpty()) {
                store.delete(StoreLayout.txn(j.txnId()), version);
            } else {
                store.update(StoreLayout.txn(j.txnId()), Json.write(j.pending(pending)), version);
            }
        } catch (StoreConflictException e) {
            LOG.debug("journal {} changed meanwhile; next scan will look again", j.txnId());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
