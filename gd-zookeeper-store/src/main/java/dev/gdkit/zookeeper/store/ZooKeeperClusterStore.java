package dev.gdkit.zookeeper.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreListener;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.StoreSession;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.store.Watch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryUntilElapsed;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.X509Util;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterStore} on Apache ZooKeeper through Apache Curator.
 *
 * <p>Each store key is one znode under {@code /<root>/<namespace>/kv/} (see {@link ZkLayout}); the
 * key's {@link Versioned#version()} is the znode's data version and its revision the znode's
 * {@code mzxid}. A commit is one ZooKeeper {@code multi}: a Put is planned as a create or an
 * overwrite from a read and planned again if another client races it, so it stays atomic with the
 * rest of the commit. Watches are Curator {@code CuratorCache}s (persistent recursive watches),
 * ephemeral keys are ephemeral znodes of this client's session, locks are
 * {@code InterProcessSemaphoreMutex}es and elections {@code LeaderLatch}es.
 *
 * <p>Connection trouble: when the connection is down, an operation waits for it at most the
 * configured operation timeout, then throws {@link StoreUnavailableException}. A commit whose
 * request was sent when the connection broke throws it with {@code outcomeUnknown() == true}.
 * A request in flight on a connection that silently hangs is failed by the ZooKeeper client after
 * two thirds of the session timeout, so the worst case wait is the operation timeout plus that.
 *
 * <p>Build one with {@link #builder()}.
 */
public final class ZooKeeperClusterStore implements ClusterStore {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperClusterStore.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final int MAX_PLAN_ATTEMPTS = 64;

    private static final int MAX_KNOWN_PARENTS = 10_000;
    private final Settings settings;
    private final ZkLayout layout;
    private final CuratorFramework client;
    private final StoreAcls acls;
    private final ZkSession session;
    private final Set<AutoCloseable> resources = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Parents seen to exist after a commit: later commits under them skip reading them (see CommitPlan). */
    private final Set<String> knownParents = ConcurrentHashMap.newKeySet();
    private final String saslSection;

    /** The validated configuration of a store client. */
    public record Settings(String connectString, String namespace, String root, Duration sessionTimeout,
                           Duration operationTimeout, Optional<String> digestUser, Optional<String> digestPassword,
                           Optional<String> saslUser, Optional<String> saslPassword) {
        @Override
        public String toString() {
            return "Settings[" + connectString + ", namespace=" + namespace + ", root=" + root + ", session="
                    + sessionTimeout.toMillis() + "ms, operation=" + operationTimeout.toMillis() + "ms, digestUser="
                    + digestUser.orElse("-") + ", saslUser=" + saslUser.orElse("-") + "]";
        }

        /** The user this client authenticates as (digest or SASL), if any. */
        Optional<String> user() {
            return digestUser.or(() -> saslUser);
        }
    }

    private ZooKeeperClusterStore(Settings settings) {
        this.settings = settings;
        this.layout = new ZkLayout(settings.root(), settings.namespace());
        boolean auth = settings.user().isPresent();
        this.acls = new StoreAcls(auth, layout.rootPath());
        int opMs = (int) settings.operationTimeout().toMillis();
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                .connectString(settings.connectString())
                .namespace(layout.curatorNamespace())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs(opMs)
                .retryPolicy(new RetryUntilElapsed(opMs, 100))
                .aclProvider(acls);
        if (settings.digestUser().isPresent()) {
            b.authorization("digest", (settings.digestUser().get() + ":" + settings.digestPassword().orElseThrow())
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (settings.saslUser().isPresent()) {
            ZKClientConfig zkConfig = new ZKClientConfig();
            saslSection = SaslLogins.addClient(settings.saslUser().get(), settings.saslPassword().orElseThrow());
            zkConfig.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
            zkConfig.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, saslSection);
            // ZooKeeper 3.9 clients refuse DIGEST-MD5 in their FIPS mode (on by default): this client leaves it
            zkConfig.setProperty(X509Util.FIPS_MODE_PROPERTY, "false");
            b.zkClientConfig(zkConfig);
        } else {
            saslSection = null;
        }
        this.client = b.build();
        this.session = new ZkSession(this, client);
    }

    /** A builder; {@code connectString} and {@code namespace} are required. */
    public static Builder builder() {
        return new Builder();
    }

    private void start() {
        client.getConnectionStateListenable().addListener(session);
        client.start();
        try {
            if (!client.blockUntilConnected((int) settings.operationTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreUnavailableException("could not connect to ZooKeeper at '" + settings.connectString() + "' within "
                        + settings.operationTimeout().toMillis() + " ms (namespace '" + settings.namespace() + "')", false, null);
            }
            ensureClusterNode();
            for (String base : List.of(ZkLayout.KV, ZkLayout.LOCKS, ZkLayout.ELECTIONS)) {
                try {
                    client.create().creatingParentsIfNeeded().forPath(base, new byte[0]);
                } catch (KeeperException.NodeExistsException e) {
                    // created by an earlier client of this cluster
                }
            }
            // a namespace created by another cluster's credentials cannot be read: fail now, clearly
            client.getChildren().forPath(ZkLayout.KV);
        } catch (KeeperException.NoAuthException e) {
            closeClient();
            throw ZooKeeperAccessDeniedException.forWhat(settings.namespace(), "opening the cluster namespace");
        } catch (KeeperException.AuthFailedException e) {
            closeClient();
            throw new ZooKeeperAccessDeniedException("ZooKeeper at '" + settings.connectString() + "' refused the SASL login of user '"
                    + settings.saslUser().orElse("?") + "' for namespace '" + settings.namespace() + "': wrong user or password, or the "
                    + "servers do not accept SASL (authProvider.sasl and a JAAS Server section with the user)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeClient();
            throw new StoreUnavailableException("interrupted while connecting to ZooKeeper at '" + settings.connectString() + "'", false, e);
        } catch (GdException e) {
            closeClient();
            throw e;
        } catch (Exception e) {
            closeClient();
            throw new StoreUnavailableException("could not open namespace '" + settings.namespace() + "' on ZooKeeper at '"
                    + settings.connectString() + "': " + e, false, e);
        }
        LOG.info("connected to ZooKeeper {} namespace {} session {}", settings.connectString(), settings.namespace(), session.id());
    }

    /**
     * Creates the shared root and the cluster's znode before Curator's own namespace handling runs:
     * with credentials, the shared root only grants CREATE to others, and ZooKeeper answers a create
     * of an existing znode the client may not read with NOAUTH, not NODEEXISTS, which Curator's
     * namespace creation does not expect. Once the cluster's znode exists, Curator creates nothing.
     */
    private void ensureClusterNode() throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        try {
            zk.create(layout.rootPath(), new byte[0], acls.getAclForPath(layout.rootPath()), org.apache.zookeeper.CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException | KeeperException.NoAuthException e) {
            // exists (possibly created by another cluster's credentials)
        }
        try {
            zk.create(layout.clusterPath(), new byte[0], acls.getDefaultAcl(), org.apache.zookeeper.CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException e) {
            // an earlier client of this cluster created it
        }
    }

    @Override
    public String namespace() {
        return settings.namespace();
    }

    /** This client's configuration. */
    public Settings settings() {
        return settings;
    }

    /**
     * The Curator client under this store, namespaced at the cluster's root znode. For diagnostics
     * and tests (for example to force a session expiry); writing through it bypasses the store's rules.
     */
    public CuratorFramework curator() {
        return client;
    }

    @Override
    public Optional<Versioned> get(String key) {
        StoreKeys.check(key);
        return call("reading '" + key + "'", zk -> read(zk, key));
    }

    private Optional<Versioned> read(ZooKeeper zk, String key) throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData(layout.kvPath(key), false, stat);
            return Optional.of(versioned(key, data, stat));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** A {@code sync} with the ensemble's leader, then the read: later than every commit acknowledged before the call. */
    @Override
    public Optional<Versioned> getLatest(String key) {
        StoreKeys.check(key);
        return call("reading the latest '" + key + "'", zk -> {
            CompletableFuture<Integer> synced = new CompletableFuture<>();
            zk.sync(layout.kvPath(key), (rc, path, ctx) -> synced.complete(rc), null);
            int rc = await(synced);
            if (rc != KeeperException.Code.OK.intValue() && rc != KeeperException.Code.NONODE.intValue()) {
                throw KeeperException.create(KeeperException.Code.get(rc));
            }
            return read(zk, key);
        });
    }

    /**
     * The text of the ensemble's configuration ({@code /zookeeper/config}) as the server this client
     * is connected to knows it; waits for a connection like every read.
     */
    public String ensembleConfig() {
        return call("reading the ensemble configuration", zk -> new String(zk.getConfig(false, null), StandardCharsets.UTF_8));
    }

    @Override
    public List<Versioned> children(String key) {
        StoreKeys.check(key);
        return call("listing the children of '" + key + "'", zk -> {
            List<String> names;
            try {
                names = zk.getChildren(layout.kvPath(key), false);
            } catch (KeeperException.NoNodeException e) {
                return List.of();
            }
            List<CompletableFuture<Versioned>> reads = new ArrayList<>(names.size());
            for (String name : names) {
                String child = key + "/" + name;
                CompletableFuture<Versioned> f = new CompletableFuture<>();
                zk.getData(layout.kvPath(child), false, (rc, path, ctx, data, stat) -> {
                    Code code = Code.get(rc);
                    if (code == Code.OK) {
                        f.complete(versioned(child, data, stat));
                    } else if (code == Code.NONODE) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(KeeperException.create(code, path));
                    }
                }, null);
                reads.add(f);
            }
            List<Versioned> out = new ArrayList<>(reads.size());
            for (CompletableFuture<Versioned> f : reads) {
                Versioned v = await(f);
                if (v != null) {
                    out.add(v);
                }
            }
            out.sort(Comparator.comparing(Versioned::key));
            return out;
        });
    }

    private <T> T await(CompletableFuture<T> f) throws KeeperException, InterruptedException {
        try {
            return f.get(settings.operationTimeout().toMillis() + settings.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KeeperException ke) {
                throw ke;
            }
            throw new GdException(ErrorCode.INTERNAL, "ZooKeeper read failed: " + e.getCause(), "see the log", List.of(), e.getCause());
        } catch (TimeoutException e) {
            throw new KeeperException.OperationTimeoutException();
        }
    }

    @Override
    public long commit(List<StoreOp> ops) {
        return commit(ops, false);
    }

    long commit(List<StoreOp> ops, boolean ephemeral) {
        validate(ops);
        checkRequestSize(ops);
        if (ops.isEmpty()) {
            return -1;
        }
        String what = "committing " + ops.size() + " operation(s) on '" + ops.get(0).key() + "'" + (ops.size() > 1 ? "..." : "");
        long deadline = System.nanoTime() + settings.operationTimeout().toNanos();
        String lastRace = "";
        for (int attempt = 1; ; attempt++) {
            ZooKeeper zk = awaitConnection(what, deadline);
            CommitPlan plan;
            try {
                if (attempt > 1) {
                    knownParents.clear();
                }
                plan = CommitPlan.build(ops, ephemeral, layout, acls.getDefaultAcl(), key -> zk.exists(layout.kvPath(key), false),
                        knownParents::contains);
            } catch (KeeperException e) {
                if (isConnectionProblem(e.code())) {
                    retryPause(what, deadline, e);
                    continue;
                }
                throw translate(what, e);
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            }
            List<OpResult> results;
            try {
                results = zk.multi(plan.ops());
            } catch (KeeperException e) {
                if (isConnectionProblem(e.code())) {
                    throw new StoreUnavailableException("the connection to ZooKeeper at '" + settings.connectString() + "' broke while "
                            + what + " in namespace '" + settings.namespace() + "' (" + e.code()
                            + "); the commit may or may not have been applied: read back before retrying", true, e);
                }
                CommitPlan.Outcome outcome = failedStep(plan, e);
                if (outcome instanceof CommitPlan.Fail f) {
                    throw f.error();
                }
                lastRace = ((CommitPlan.Retry) outcome).why();
                if (attempt >= MAX_PLAN_ATTEMPTS || System.nanoTime() > deadline) {
                    throw new StoreConflictException(ops.get(0).key(), StoreConflictException.Reason.VERSION,
                            "concurrent changes kept the commit from applying after " + attempt + " attempts (last: " + lastRace + ")");
                }
                LOG.debug("commit raced ({}), planning again", lastRace);
                continue;
            } catch (InterruptedException e) {
                throw new StoreUnavailableException("interrupted while " + what + "; the commit may or may not have been applied", true, e);
            }
            if (knownParents.size() > MAX_KNOWN_PARENTS) {
                knownParents.clear();
            }
            knownParents.addAll(plan.parentsAfter());
            return revisionOf(results);
        }
    }

    private CommitPlan.Outcome failedStep(CommitPlan plan, KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results != null) {
            for (int i = 0; i < results.size() && i < plan.steps().size(); i++) {
                if (results.get(i) instanceof OpResult.ErrorResult er) {
                    Code code = Code.get(er.getErr());
                    if (code != Code.OK && code != Code.RUNTIMEINCONSISTENCY) {
                        return CommitPlan.classify(plan.steps().get(i), code, settings.namespace());
                    }
                }
            }
        }
        return new CommitPlan.Fail(translate("committing", e));
    }

    private static long revisionOf(List<OpResult> results) {
        long revision = -1;
        for (OpResult r : results) {
            if (r instanceof OpResult.SetDataResult s && s.getStat() != null) {
                revision = Math.max(revision, s.getStat().getMzxid());
            } else if (r instanceof OpResult.CreateResult c && c.getStat() != null) {
                revision = Math.max(revision, c.getStat().getMzxid());
            }
        }
        return revision;
    }

    private static void validate(List<StoreOp> ops) {
        if (ops == null) {
            throw new GdException(ErrorCode.STORE_INVALID, "commit operations are null", "pass a list of StoreOp");
        }
        for (int i = 0; i < ops.size(); i++) {
            StoreOp op = ops.get(i);
            if (op == null) {
                throw new GdException(ErrorCode.STORE_INVALID, "commit operation " + i + " is null", "remove it or give a StoreOp");
            }
            StoreKeys.check(op.key());
            if (op instanceof StoreOp.Create c) {
                StoreKeys.checkValue(c.key(), c.value());
            } else if (op instanceof StoreOp.Put p) {
                StoreKeys.checkValue(p.key(), p.value());
            } else if (op instanceof StoreOp.Update u) {
                StoreKeys.checkValue(u.key(), u.value());
                checkVersion(u.key(), u.expectedVersion());
            } else if (op instanceof StoreOp.Delete d) {
                checkVersion(d.key(), d.expectedVersion());
            } else if (op instanceof StoreOp.Check c) {
                checkVersion(c.key(), c.expectedVersion());
            }
        }
    }

    /**
     * ZooKeeper refuses (and drops the connection on) a request larger than {@code jute.maxbuffer}
     * (a JVM system property, default 1 MiB - 1), so a commit whose values and keys add up to more
     * is refused here, before anything is sent.
     */
    private void checkRequestSize(List<StoreOp> ops) {
        long size = 0;
        for (StoreOp op : ops) {
            size += layout.kvPath(op.key()).length() + 64L;
            if (op instanceof StoreOp.Create c) {
                size += c.value().length;
            } else if (op instanceof StoreOp.Put p) {
                size += p.value().length;
            } else if (op instanceof StoreOp.Update u) {
                size += u.value().length;
            }
        }
        long limit = maxRequestBytes();
        if (size > limit) {
            throw new GdException(ErrorCode.STORE_INVALID, "a commit of " + ops.size() + " operations starting at '" + ops.get(0).key()
                    + "' is about " + size + " bytes, more than ZooKeeper accepts in one request (" + limit
                    + " bytes, from jute.maxbuffer)", "split it into several commits, or store less per key");
        }
    }

    /** The largest commit request this client sends: jute.maxbuffer less room for headers and ACLs. */
    static long maxRequestBytes() {
        return Integer.getInteger("jute.maxbuffer", 0xfffff) - 16 * 1024L;
    }

    private static void checkVersion(String key, int version) {
        if (version < StoreOp.ANY_VERSION) {
            throw new GdException(ErrorCode.STORE_INVALID, "expected version " + version + " for key '" + key + "' is negative",
                    "give the version read from the store (0 or more) or StoreOp.ANY_VERSION (-1)");
        }
    }

    @Override
    public void deleteTree(String key) {
        knownParents.clear();
        StoreKeys.check(key);
        call("deleting the tree '" + key + "'", zk -> {
            deleteRecursive(zk, layout.kvPath(key));
            return null;
        });
    }

    private void deleteRecursive(ZooKeeper zk, String path) throws KeeperException, InterruptedException {
        for (int attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
            List<String> children;
            try {
                children = zk.getChildren(path, false);
            } catch (KeeperException.NoNodeException e) {
                return;
            }
            for (String c : children) {
                deleteRecursive(zk, path + "/" + c);
            }
            try {
                zk.delete(path, -1);
                return;
            } catch (KeeperException.NoNodeException e) {
                return;
            } catch (KeeperException.NotEmptyException e) {
                // a child appeared meanwhile: delete it too
            }
        }
        throw new StoreConflictException(path, StoreConflictException.Reason.NOT_EMPTY,
                "keys kept being created below it while it was being deleted");
    }

    @Override
    public Watch watch(String prefix, StoreListener listener) {
        StoreKeys.check(prefix);
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        ZkWatch w = new ZkWatch(client, layout, prefix, listener, this::forget);
        resources.add(w);
        w.start();
        return w;
    }

    @Override
    public StoreSession session() {
        return session;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable r : List.copyOf(resources)) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", r, e.toString());
            }
        }
        session.closing();
        closeClient();
        session.closed();
        LOG.info("closed ZooKeeper store client for namespace {}", settings.namespace());
    }

    private void closeClient() {
        client.close();
        if (saslSection != null) {
            SaslLogins.remove(saslSection);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    void track(AutoCloseable resource) {
        resources.add(resource);
    }

    void forget(AutoCloseable resource) {
        resources.remove(resource);
    }

    ZkLayout layout() {
        return layout;
    }

    // ---- bounded waits ----

    @FunctionalInterface
    interface ZkCall<T> {
        T call(ZooKeeper zk) throws KeeperException, InterruptedException;
    }

    /** Runs an idempotent call, retrying connection trouble until the operation timeout. */
    <T> T call(String what, ZkCall<T> body) {
        long deadline = System.nanoTime() + settings.operationTimeout().toNanos();
        while (true) {
            ZooKeeper zk = awaitConnection(what, deadline);
            try {
                return body.call(zk);
            } catch (KeeperException e) {
                if (!isConnectionProblem(e.code())) {
                    throw translate(what, e);
                }
                retryPause(what, deadline, e);
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            }
        }
    }

    private void retryPause(String what, long deadline, KeeperException e) {
        if (System.nanoTime() > deadline) {
            throw unavailable(what, e);
        }
        try {
            Thread.sleep(50);
        } catch (InterruptedException ie) {
            throw interrupted(what, ie);
        }
    }

    ZooKeeper awaitConnection(String what, long deadline) {
        checkOpen();
        try {
            if (!client.getZookeeperClient().isConnected()) {
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMs <= 0 || !client.blockUntilConnected((int) remainingMs, TimeUnit.MILLISECONDS)) {
                    throw unavailable(what, null);
                }
            }
            return client.getZookeeperClient().getZooKeeper();
        } catch (InterruptedException e) {
            throw interrupted(what, e);
        } catch (GdException e) {
            throw e;
        } catch (Exception e) {
            checkOpen();
            throw unavailable(what, e);
        }
    }

    void checkOpen() {
        if (closed.get()) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "the ZooKeeper store client for namespace '" + settings.namespace()
                    + "' is closed", "open a new client with ZooKeeperClusterStore.builder()");
        }
    }

    StoreUnavailableException unavailable(String what, Throwable cause) {
        return new StoreUnavailableException("ZooKeeper at '" + settings.connectString() + "' was not reachable within "
                + settings.operationTimeout().toMillis() + " ms while " + what + " (namespace '" + settings.namespace()
                + "', session " + session.state() + ")", false, cause);
    }

    private StoreUnavailableException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StoreUnavailableException("interrupted while " + what, false, e);
    }

    RuntimeException translate(String what, KeeperException e) {
        if (e.code() == Code.NOAUTH) {
            return ZooKeeperAccessDeniedException.forWhat(settings.namespace(), what);
        }
        if (isConnectionProblem(e.code())) {
            return unavailable(what, e);
        }
        return new GdException(ErrorCode.INTERNAL, "ZooKeeper failed while " + what + " in namespace '" + settings.namespace()
                + "': " + e.getMessage(), "see the ZooKeeper server log", List.of(), e);
    }

    static boolean isConnectionProblem(Code code) {
        return switch (code) {
            case CONNECTIONLOSS, OPERATIONTIMEOUT, SESSIONEXPIRED, SESSIONMOVED, NOTREADONLY, REQUESTTIMEOUT, THROTTLEDOP,
                    RECONFIGINPROGRESS -> true;
            default -> false;
        };
    }

    private static Versioned versioned(String key, byte[] data, Stat stat) {
        return new Versioned(key, data == null ? new byte[0] : data, stat.getVersion(), stat.getMzxid());
    }

    @Override
    public String toString() {
        return "ZooKeeperClusterStore[" + settings.connectString() + " namespace=" + settings.namespace() + "]";
    }

    /** Configures and connects a {@link ZooKeeperClusterStore}. */
    public static final class Builder {
        private String connectString;
        private String namespace;
        private String root = "gdkit";
        private Duration sessionTimeout = Duration.ofSeconds(15);
        private Duration operationTimeout = Duration.ofSeconds(10);
        private String digestUser;
        private String digestPassword;
        private String saslUser;
        private String saslPassword;

        private Builder() {
        }

        /** Comma-separated {@code host:port} list of the ensemble, for example {@code 127.0.0.1:2181}. Required. */
        public Builder connectString(String connectString) {
            this.connectString = connectString;
            return this;
        }

        /** The cluster's namespace: 1 to 100 characters of letters, digits, '.', '_' and '-'. Required. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The top znode under which every cluster's namespace lives; default {@code gdkit}. */
        public Builder root(String root) {
            this.root = root;
            return this;
        }

        /** ZooKeeper session timeout (the server clamps it to 2 to 20 ticks); default 15 s. */
        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        /** How long an operation waits for a connection before it throws StoreUnavailableException; default 10 s. */
        public Builder operationTimeout(Duration operationTimeout) {
            this.operationTimeout = operationTimeout;
            return this;
        }

        /**
         * Authenticates with ZooKeeper's digest scheme; every znode this client creates is then only
         * accessible to the same user (CREATOR_ALL ACL).
         */
        public Builder digestAuth(String user, String password) {
            this.digestUser = user;
            this.digestPassword = password;
            return this;
        }

        /**
         * Authenticates with SASL DIGEST-MD5 as {@code user} (the servers need
         * {@code authProvider.sasl=org.apache.zookeeper.server.auth.SASLAuthenticationProvider} and a
         * JAAS {@code Server} section listing the user); every znode this client creates is then only
         * accessible to {@code sasl:user} (CREATOR_ALL). The credentials live in a JAAS section of this
         * client's own ({@link SaslLogins}), no JAAS file is needed. DIGEST-MD5 is not a FIPS
         * algorithm: this client runs with ZooKeeper's FIPS mode off. Not together with {@link #digestAuth}.
         */
        public Builder saslDigest(String user, String password) {
            this.saslUser = user;
            this.saslPassword = password;
            return this;
        }

        /** Validates the settings and returns them without connecting. */
        public Settings settings() {
            if (connectString == null || connectString.isBlank()) {
                throw invalid("connectString is missing", "give the ensemble as host:port[,host:port...], for example 127.0.0.1:2181");
            }
            for (String hp : connectString.split(",")) {
                int colon = hp.lastIndexOf(':');
                if (colon <= 0 || !hp.substring(colon + 1).matches("[0-9]{1,5}")) {
                    throw invalid("connectString '" + connectString + "' has an invalid entry '" + hp + "'",
                            "each entry is host:port, for example 127.0.0.1:2181");
                }
            }
            checkName("namespace", namespace);
            checkName("root", root);
            checkDuration("sessionTimeout", sessionTimeout, Duration.ofMillis(100));
            checkDuration("operationTimeout", operationTimeout, Duration.ofMillis(1));
            if (digestUser != null || digestPassword != null) {
                if (digestUser == null || digestUser.isEmpty() || digestUser.contains(":")) {
                    throw invalid("digest user '" + digestUser + "' is invalid", "give a non-empty user name without ':'");
                }
                if (digestPassword == null || digestPassword.isEmpty()) {
                    throw invalid("digest password for user '" + digestUser + "' is empty", "give a non-empty password");
                }
            }
            if (saslUser != null || saslPassword != null) {
                if (digestUser != null) {
                    throw invalid("both digest and SASL credentials are given", "choose one: digestAuth or saslDigest");
                }
                if (saslUser == null || saslUser.isEmpty() || saslUser.contains(":")) {
                    throw invalid("SASL user '" + saslUser + "' is invalid", "give a non-empty user name without ':'");
                }
                if (saslPassword == null || saslPassword.isEmpty()) {
                    throw invalid("SASL password for user '" + saslUser + "' is empty", "give a non-empty password");
                }
            }
            return new Settings(connectString, namespace, root, sessionTimeout, operationTimeout,
                    Optional.ofNullable(digestUser), Optional.ofNullable(digestPassword), Optional.ofNullable(saslUser),
                    Optional.ofNullable(saslPassword));
        }

        /** Connects; throws StoreUnavailableException when ZooKeeper cannot be reached within the operation timeout. */
        public ZooKeeperClusterStore build() {
            ZooKeeperClusterStore store = new ZooKeeperClusterStore(settings());
            store.start();
            return store;
        }

        private static void checkName(String what, String value) {
            if (value == null || !NAME.matcher(value).matches()) {
                throw invalid(what + " '" + value + "' is invalid", "use 1 to 100 characters of letters, digits, '.', '_' and '-'");
            }
            if (value.equals(".") || value.equals("..") || value.equals("zookeeper")) {
                throw invalid(what + " '" + value + "' is reserved", "choose another name");
            }
        }

        private static void checkDuration(String what, Duration d, Duration min) {
            if (d == null || d.compareTo(min) < 0 || d.toMillis() > Integer.MAX_VALUE) {
                throw invalid(what + " " + d + " is out of range", "give at least " + min.toMillis() + " ms and at most "
                        + Integer.MAX_VALUE + " ms");
            }
        }

        private static GdException invalid(String message, String remedy) {
            return new GdException(ErrorCode.INVALID_ARGUMENT, "ZooKeeper store configuration: " + message, remedy);
        }
    }
}
