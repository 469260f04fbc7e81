package dev.gdkit.core.store.memory;

import dev.gdkit.api.error.GdException;
import dev.gdkit.core.concurrent.NamedThreads;
import dev.gdkit.core.concurrent.SerialExecutor;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Election;
import dev.gdkit.core.store.SessionState;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreConflictException.Reason;
import dev.gdkit.core.store.StoreEvent;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreListener;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.core.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A real, in-process cluster store: the shared state that {@link InMemoryClusterStore} clients
 * connect to, like one ZooKeeper ensemble. Thread-safe; every commit is serialised under one lock,
 * so the store is linearizable and watch events of every watch are delivered in commit order.
 *
 * <p>Faults for tests: {@link #setAvailable(boolean)} makes the whole store unreachable (sessions
 * are suspended, never expired, as with a ZooKeeper ensemble that lost quorum);
 * {@link #isolate(ClusterStore, boolean)} cuts one client off (its session expires after the
 * session timeout); {@link #expire(ClusterStore)} ends a client's session at once.
 */
public final class InMemoryStoreServer implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeMap<String, Entry> data = new TreeMap<>();
    private final List<WatchReg> watches = new CopyOnWriteArrayList<>();
    private final List<InMemoryClusterStore> clients = new CopyOnWriteArrayList<>();
    private final Map<String, LockHolder> locks = new LinkedHashMap<>();
    private final Map<String, List<Candidate>> elections = new LinkedHashMap<>();
    private final ExecutorService callbacks = Executors.newCachedThreadPool(new NamedThreads("gd-memstore-cb"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new NamedThreads("gd-memstore-timer"));
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicLong lockTokens = new AtomicLong();
    private final Duration operationTimeout;
    private final Duration sessionTimeout;
    private long revision;
    private boolean available = true;
    private boolean closed;

    private InMemoryStoreServer(Builder b) {
        this.operationTimeout = b.operationTimeout;
        this.sessionTimeout = b.sessionTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server with default timeouts (operations 5 s, sessions 4 s). */
    public static InMemoryStoreServer create() {
        return builder().build();
    }

    /** Settings of an in-memory store server. */
    public static final class Builder {
        private Duration operationTimeout = Duration.ofSeconds(5);
        private Duration sessionTimeout = Duration.ofSeconds(4);

        /** How long an operation waits for an unreachable store before failing. */
        public Builder operationTimeout(Duration d) {
            this.operationTimeout = requirePositive(d, "operationTimeout");
            return this;
        }

        /** How long an isolated client's session survives. */
        public Builder sessionTimeout(Duration d) {
            this.sessionTimeout = requirePositive(d, "sessionTimeout");
            return this;
        }

        public InMemoryStoreServer build() {
            return new InMemoryStoreServer(this);
        }

        private static Duration requirePositive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw GdException.invalid(what + " must be a positive duration, got " + d, "use for example Duration.ofSeconds(5)");
            }
            return d;
        }
    }

    /** Connects a new client, with a new session, to the cluster namespace {@code namespace}. */
    public InMemoryClusterStore connect(String namespace) {
        StoreKeys.check(namespace);
        if (namespace.contains("/")) {
            throw GdException.invalid("namespace '" + namespace + "' contains '/'", "use a single key segment such as 'cluster-1'");
        }
        lock.lock();
        try {
            ensureOpen();
            InMemoryClusterStore c = new InMemoryClusterStore(this, namespace, sessionIds.incrementAndGet());
            clients.add(c);
            return c;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the whole store reachable or not. Sessions are suspended, not lost, while it is down. */
    public void setAvailable(boolean up) {
        List<InMemoryClusterStore> clients;
        lock.lock();
        try {
            available = up;
            changed.signalAll();
            clients = liveClients();
        } finally {
            lock.unlock();
        }
        for (InMemoryClusterStore c : clients) {
            c.connectivityChanged(up && !c.isolated());
        }
    }

    public boolean isAvailable() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    /** Cuts one client off the store (or reconnects it). Its session expires after the session timeout. */
    public void isolate(ClusterStore client, boolean isolated) {
        InMemoryClusterStore c = own(client);
        lock.lock();
        try {
            c.setIsolated(isolated);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        c.connectivityChanged(!isolated && isAvailable());
        if (isolated) {
            long session = c.sessionNumber();
            timer.schedule(() -> {
                if (c.isolated() && c.sessionNumber() == session) {
                    expire(c);
                }
            }, sessionTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Ends the client's session now: its ephemeral keys, locks and elections go; it gets a new session. */
    public void expire(ClusterStore client) {
        InMemoryClusterStore c = own(client);
        endSession(c, false);
    }

    /** A copy of every key of a namespace with its value, for invariant checks. */
    public NavigableMap<String, Versioned> snapshot(String namespace) {
        lock.lock();
        try {
            TreeMap<String, Versioned> out = new TreeMap<>();
            String p = namespace + "/";
            for (Map.Entry<String, Entry> e : data.subMap(p, p + Character.MAX_VALUE).entrySet()) {
                String key = e.getKey().substring(p.length());
                out.put(key, e.getValue().versioned(key));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Number of keys across every namespace. */
    public int size() {
        lock.lock();
        try {
            return data.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        timer.shutdownNow();
        callbacks.shutdown();
    }

    // ------------------------------------------------------------------ client operations

    Optional<Versioned> get(InMemoryClusterStore c, String key) {
        StoreKeys.check(key);
        lockReachable(c);
        try {
            Entry e = data.get(c.full(key));
            return e == null ? Optional.empty() : Optional.of(e.versioned(key));
        } finally {
            lock.unlock();
        }
    }

    List<Versioned> children(InMemoryClusterStore c, String key) {
        StoreKeys.check(key);
        lockReachable(c);
        try {
            String p = c.full(key) + "/";
            String nsPrefix = c.namespace() + "/";
            List<Versioned> out = new ArrayList<>();
            for (Map.Entry<String, Entry> e : data.subMap(p, p + Character.MAX_VALUE).entrySet()) {
                if (e.getKey().indexOf('/', p.length()) < 0) {
                    out.add(e.getValue().versioned(e.getKey().substring(nsPrefix.length())));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    long commit(InMemoryClusterStore c, List<StoreOp> ops, Long ephemeralOwner) {
        Objects.requireNonNull(ops, "ops");
        for (StoreOp op : ops) {
            StoreKeys.check(op.key());
            if (op instanceof StoreOp.Create cr) {
                StoreKeys.checkValue(op.key(), cr.value());
            } else if (op instanceof StoreOp.Put p) {
                StoreKeys.checkValue(op.key(), p.value());
            } else if (op instanceof StoreOp.Update u) {
                StoreKeys.checkValue(op.key(), u.value());
            }
        }
        lockReachable(c);
        try {
            long rev = revision + 1;
            List<Undo> undo = new ArrayList<>();
            List<StoreEvent> events = new ArrayList<>();
            try {
                for (StoreOp op : ops) {
                    apply(c, op, rev, ephemeralOwner, undo, events);
                }
            } catch (RuntimeException e) {
                for (int i = undo.size() - 1; i >= 0; i--) {
                    Undo u = undo.get(i);
                    if (u.previous == null) {
                        data.remove(u.fullKey);
                    } else {
                        data.put(u.fullKey, u.previous);
                    }
                }
                throw e;
            }
            if (!events.isEmpty()) {
                revision = rev;
                publish(c.namespace(), events);
                changed.signalAll();
            }
            return events.isEmpty() ? revision : rev;
        } finally {
            lock.unlock();
        }
    }

    private void apply(InMemoryClusterStore c, StoreOp op, long rev, Long owner, List<Undo> undo, List<StoreEvent> events) {
        String key = op.key();
        String full = c.full(key);
        Entry cur = data.get(full);
        if (op instanceof StoreOp.Create cr) {
            if (cur != null) {
                throw new StoreConflictException(key, Reason.EXISTS, "the key already exists");
            }
            createParents(c, key, rev, undo, events);
            write(full, key, new Entry(cr.value().clone(), 0, rev, owner), null, undo, events);
        } else if (op instanceof StoreOp.Put p) {
            if (cur == null) {
                createParents(c, key, rev, undo, events);
                write(full, key, new Entry(p.value().clone(), 0, rev, null), null, undo, events);
            } else {
                write(full, key, new Entry(p.value().clone(), cur.version + 1, rev, cur.owner), cur, undo, events);
            }
        } else if (op instanceof StoreOp.Update u) {
            requireVersion(key, cur, u.expectedVersion());
            write(full, key, new Entry(u.value().clone(), cur.version + 1, rev, cur.owner), cur, undo, events);
        } else if (op instanceof StoreOp.Delete d) {
            requireVersion(key, cur, d.expectedVersion());
            String p = full + "/";
            String next = data.ceilingKey(p);
            if (next != null && next.startsWith(p)) {
                throw new StoreConflictException(key, Reason.NOT_EMPTY, "the key has children; delete them first or use deleteTree");
            }
            data.remove(full);
            undo.add(new Undo(full, cur));
            events.add(new StoreEvent(StoreEvent.Type.DELETED, key, new byte[0], -1, rev));
        } else if (op instanceof StoreOp.Check ch) {
            requireVersion(key, cur, ch.expectedVersion());
        } else if (op instanceof StoreOp.CheckAbsent) {
            if (cur != null) {
                throw new StoreConflictException(key, Reason.EXISTS, "the key exists but must be absent");
            }
        }
    }

    private static void requireVersion(String key, Entry cur, int expected) {
        if (cur == null) {
            throw new StoreConflictException(key, Reason.MISSING, "the key does not exist");
        }
        if (expected != StoreOp.ANY_VERSION && cur.version != expected) {
            throw new StoreConflictException(key, Reason.VERSION,
                    "expected version " + expected + " but the key is at version " + cur.version);
        }
    }

    private void createParents(InMemoryClusterStore c, String key, long rev, List<Undo> undo, List<StoreEvent> events) {
        List<String> missing = new ArrayList<>();
        for (String p = StoreKeys.parent(key); p != null; p = StoreKeys.parent(p)) {
            Entry pe = data.get(c.full(p));
            if (pe != null) {
                if (pe.owner != null) {
                    throw new StoreConflictException(p, Reason.EXISTS, "ephemeral keys cannot have children");
                }
                break;
            }
            missing.add(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            String p = missing.get(i);
            write(c.full(p), p, new Entry(new byte[0], 0, rev, null), null, undo, events);
        }
    }

    private void write(String full, String key, Entry next, Entry prev, List<Undo> undo, List<StoreEvent> events) {
        data.put(full, next);
        undo.add(new Undo(full, prev));
        events.add(new StoreEvent(prev == null ? StoreEvent.Type.CREATED : StoreEvent.Type.UPDATED, key,
                next.value.clone(), next.version, next.revision));
    }

    void deleteTree(InMemoryClusterStore c, String key) {
        StoreKeys.check(key);
        lockReachable(c);
        try {
            String full = c.full(key);
            List<String> doomed = new ArrayList<>(data.subMap(full + "/", full + "/" + Character.MAX_VALUE).keySet());
            if (data.containsKey(full)) {
                doomed.add(0, full);
            }
            if (doomed.isEmpty()) {
                return;
            }
            long rev = ++revision;
            List<StoreEvent> events = new ArrayList<>();
            for (int i = doomed.size() - 1; i >= 0; i--) {
                data.remove(doomed.get(i));
                events.add(new StoreEvent(StoreEvent.Type.DELETED, doomed.get(i).substring(c.namespace().length() + 1),
                        new byte[0], -1, rev));
            }
            publish(c.namespace(), events);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    WatchReg watch(InMemoryClusterStore c, String prefix, StoreListener listener) {
        StoreKeys.check(prefix);
        Objects.requireNonNull(listener, "listener");
        lockReachable(c);
        try {
            WatchReg w = new WatchReg(c.namespace(), prefix, listener, new SerialExecutor(callbacks));
            String full = c.full(prefix);
            Entry self = data.get(full);
            if (self != null) {
                w.deliver(new StoreEvent(StoreEvent.Type.CREATED, prefix, self.value.clone(), self.version, self.revision));
            }
            for (Map.Entry<String, Entry> e : data.subMap(full + "/", full + "/" + Character.MAX_VALUE).entrySet()) {
                Entry en = e.getValue();
                w.deliver(new StoreEvent(StoreEvent.Type.CREATED, e.getKey().substring(c.namespace().length() + 1),
                        en.value.clone(), en.version, en.revision));
            }
            w.executor.execute(() -> {
                if (!w.closed) {
                    listener.onInitialized();
                }
            });
            watches.add(w);
            return w;
        } finally {
            lock.unlock();
        }
    }

    void unwatch(WatchReg w) {
        w.closed = true;
        watches.remove(w);
    }

    private void publish(String namespace, List<StoreEvent> events) {
        for (WatchReg w : watches) {
            if (!w.namespace.equals(namespace)) {
                continue;
            }
            for (StoreEvent e : events) {
                if (StoreKeys.isWithin(e.key(), w.prefix)) {
                    w.deliver(e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ sessions, locks, elections

    Optional<LockHolder> tryLock(InMemoryClusterStore c, String name, Duration wait) {
        StoreKeys.check(name);
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        lockReachable(c);
        try {
            String full = c.full(name);
            long session = c.sessionNumber();
            while (true) {
                if (c.sessionNumber() != session || c.state() == SessionState.CLOSED) {
                    return Optional.empty();
                }
                if (!locks.containsKey(full)) {
                    LockHolder h = new LockHolder(full, name, session, lockTokens.incrementAndGet());
                    locks.put(full, h);
                    return Optional.of(h);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    boolean isHeld(LockHolder h) {
        lock.lock();
        try {
            return locks.get(h.fullName) == h;
        } finally {
            lock.unlock();
        }
    }

    void release(LockHolder h) {
        lock.lock();
        try {
            if (locks.get(h.fullName) == h) {
                locks.remove(h.fullName);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    Candidate elect(InMemoryClusterStore c, String name, String participantId, Election.Listener listener) {
        StoreKeys.check(name);
        lockReachable(c);
        try {
            Candidate cand = new Candidate(c.full(name), name, participantId, c.sessionNumber(), listener,
                    new SerialExecutor(callbacks));
            List<Candidate> list = elections.computeIfAbsent(cand.fullName, k -> new ArrayList<>());
            list.add(cand);
            if (list.size() == 1) {
                cand.setLeader(true);
            }
            return cand;
        } finally {
            lock.unlock();
        }
    }

    void withdraw(Candidate cand) {
        lock.lock();
        try {
            withdrawLocked(cand);
        } finally {
            lock.unlock();
        }
    }

    private void withdrawLocked(Candidate cand) {
        List<Candidate> list = elections.get(cand.fullName);
        if (list == null || !list.contains(cand)) {
            return;
        }
        boolean wasLeader = list.get(0) == cand;
        list.remove(cand);
        if (wasLeader) {
            cand.setLeader(false);
            if (!list.isEmpty()) {
                list.get(0).setLeader(true);
            }
        }
        if (list.isEmpty()) {
            elections.remove(cand.fullName);
        }
    }

    Optional<String> leaderOf(String fullName) {
        lock.lock();
        try {
            List<Candidate> list = elections.get(fullName);
            return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0).participantId);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the client's session: ephemerals, locks and elections go. Closing makes it terminal. */
    void endSession(InMemoryClusterStore c, boolean closing) {
        lock.lock();
        try {
            long session = c.sessionNumber();
            if (c.state() == SessionState.CLOSED) {
                return;
            }
            List<StoreEvent> events = new ArrayList<>();
            long rev = revision + 1;
            String p = c.namespace() + "/";
            Iterator<Map.Entry<String, Entry>> it = data.subMap(p, p + Character.MAX_VALUE).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Entry> e = it.next();
                if (e.getValue().owner != null && e.getValue().owner == session) {
                    // read the key before removing: TreeMap may reuse the removed entry for its successor
                    String key = e.getKey().substring(p.length());
                    it.remove();
                    events.add(new StoreEvent(StoreEvent.Type.DELETED, key, new byte[0], -1, rev));
                }
            }
            if (!events.isEmpty()) {
                revision = rev;
                publish(c.namespace(), events);
            }
            locks.values().removeIf(h -> h.session == session);
            for (List<Candidate> list : new ArrayList<>(elections.values())) {
                for (Candidate cand : new ArrayList<>(list)) {
                    if (cand.session == session) {
                        withdrawLocked(cand);
                    }
                }
            }
            changed.signalAll();
            c.sessionEnded(closing ? -1 : sessionIds.incrementAndGet());
        } finally {
            lock.unlock();
        }
    }

    private List<InMemoryClusterStore> liveClients() {
        return List.copyOf(clients);
    }

    void closed(InMemoryClusterStore c) {
        clients.remove(c);
    }

    /** Takes the server lock once the client can reach the store, or throws after the operation timeout. */
    private void lockReachable(InMemoryClusterStore c) {
        long deadline = System.nanoTime() + operationTimeout.toNanos();
        lock.lock();
        boolean ok = false;
        try {
            while (true) {
                ensureOpen();
                if (c.state() == SessionState.CLOSED) {
                    throw new GdException(dev.gdkit.api.error.ErrorCode.STORE_UNAVAILABLE,
                            "store client for namespace '" + c.namespace() + "' is closed", "open a new client");
                }
                if (available && !c.isolated()) {
                    ok = true;
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StoreUnavailableException("cluster store unreachable for " + operationTimeout.toMillis()
                            + " ms (namespace '" + c.namespace() + "')", false, null);
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the cluster store", false, e);
        } finally {
            if (!ok) {
                lock.unlock();
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreUnavailableException("the in-memory store server is closed", false, null);
        }
    }

    private static InMemoryClusterStore own(ClusterStore client) {
        if (!(client instanceof InMemoryClusterStore c)) {
            throw GdException.invalid("not an in-memory store client: " + client, "pass a client made by InMemoryStoreServer.connect");
        }
        return c;
    }

    java.util.concurrent.Executor callbacks() {
        return callbacks;
    }

    // ------------------------------------------------------------------ records

    private record Entry(byte[] value, int version, long revision, Long owner) {
        Versioned versioned(String key) {
            return new Versioned(key, value.clone(), version, revision);
        }
    }

    private record Undo(String fullKey, Entry previous) {
    }

    static final class WatchReg {
        final String namespace;
        final String prefix;
        final StoreListener listener;
        final SerialExecutor executor;
        volatile boolean closed;

        WatchReg(String namespace, String prefix, StoreListener listener, SerialExecutor executor) {
            this.namespace = namespace;
            this.prefix = prefix;
            this.listener = listener;
            this.executor = executor;
        }

        void deliver(StoreEvent e) {
            executor.execute(() -> {
                if (!closed) {
                    listener.onEvent(e);
                }
            });
        }
    }

    static final class LockHolder {
        final String fullName;
        final String name;
        final long session;
        final long token;

        LockHolder(String fullName, String name, long session, long token) {
            this.fullName = fullName;
            this.name = name;
            this.session = session;
            this.token = token;
        }
    }

    static final class Candidate {
        final String fullName;
        final String name;
        final String participantId;
        final long session;
        final Election.Listener listener;
        final SerialExecutor executor;
        volatile boolean leader;

        Candidate(String fullName, String name, String participantId, long session, Election.Listener listener,
                  SerialExecutor executor) {
            this.fullName = fullName;
            this.name = name;
            this.participantId = participantId;
            this.session = session;
            this.listener = listener;
            this.executor = executor;
        }

        void setLeader(boolean now) {
            if (leader == now) {
                return;
            }
            leader = now;
            executor.execute(() -> listener.leadershipChanged(now));
        }
    }
}
