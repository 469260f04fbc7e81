package dev.gdkit.zookeeper.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.Election;
import dev.gdkit.core.store.SessionState;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreLock;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.StoreSession;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreMutex;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session of a {@link ZooKeeperClusterStore}: the ZooKeeper session of its Curator client.
 * Curator's SUSPENDED maps to {@link SessionState#SUSPENDED}, LOST (the session expired, or the
 * session timeout passed while disconnected) to {@link SessionState#LOST}; when Curator then gets
 * a new session the state is CONNECTED again with a new {@link #id()}.
 */
final class ZkSession implements StoreSession, ConnectionStateListener {
    private static final Logger LOG = LoggerFactory.getLogger(ZkSession.class);

    private final ZooKeeperClusterStore store;
    private final CuratorFramework client;
    private final List<Consumer<SessionState>> listeners = new CopyOnWriteArrayList<>();
    private final Set<ZkLock> locks = ConcurrentHashMap.newKeySet();
    private final ExecutorService dispatch;
    private volatile SessionState state = SessionState.CONNECTED;

    ZkSession(ZooKeeperClusterStore store, CuratorFramework client) {
        this.store = store;
        this.client = client;
        this.dispatch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gd-zk-session-" + store.namespace());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String id() {
        try {
            return Long.toHexString(client.getZookeeperClient().getZooKeeper().getSessionId());
        } catch (Exception e) {
            return "none";
        }
    }

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public void addStateListener(Consumer<SessionState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void stateChanged(CuratorFramework c, ConnectionState newState) {
        SessionState mapped = switch (newState) {
            case CONNECTED, RECONNECTED -> SessionState.CONNECTED;
            case SUSPENDED, READ_ONLY -> SessionState.SUSPENDED;
            case LOST -> SessionState.LOST;
        };
        if (state == SessionState.CLOSED) {
            return;
        }
        LOG.info("ZooKeeper session of namespace {}: {} ({})", store.namespace(), mapped, newState);
        if (mapped == SessionState.LOST) {
            for (ZkLock lock : List.copyOf(locks)) {
                lock.lost();
            }
        }
        state = mapped;
        fire(mapped);
    }

    private void fire(SessionState s) {
        try {
            dispatch.execute(() -> {
                for (Consumer<SessionState> l : listeners) {
                    try {
                        l.accept(s);
                    } catch (RuntimeException e) {
                        LOG.warn("session state listener failed on {}", s, e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("session listeners already shut down; {} not delivered", s);
        }
    }

    void closing() {
        for (ZkLock lock : List.copyOf(locks)) {
            lock.release();
        }
    }

    void closed() {
        state = SessionState.CLOSED;
        fire(SessionState.CLOSED);
        dispatch.shutdown();
        try {
            dispatch.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void createEphemeral(String key, byte[] value) {
        store.commit(List.of(StoreOp.create(key, value)), true);
    }

    @Override
    public Optional<StoreLock> tryLock(String name, Duration wait) {
        StoreKeys.check(name);
        if (wait == null || wait.isNegative()) {
            throw new GdException(ErrorCode.STORE_INVALID, "lock wait " + wait + " for lock '" + name + "' is invalid",
                    "give a zero or positive duration");
        }
        store.checkOpen();
        InterProcessSemaphoreMutex mutex = new InterProcessSemaphoreMutex(client, ZkLayout.LOCKS + "/" + name);
        boolean acquired;
        try {
            acquired = mutex.acquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.gdkit.core.store.StoreUnavailableException("interrupted while taking lock '" + name + "'", false, e);
        } catch (org.apache.zookeeper.KeeperException e) {
            throw store.translate("taking lock '" + name + "'", e);
        } catch (Exception e) {
            store.checkOpen();
            throw store.unavailable("taking lock '" + name + "'", e);
        }
        if (!acquired) {
            return Optional.empty();
        }
        ZkLock lock = new ZkLock(name, mutex, locks::remove, () -> state == SessionState.CONNECTED);
        locks.add(lock);
        if (state == SessionState.LOST) {
            lock.lost();
        }
        return Optional.of(lock);
    }

    @Override
    public Election elect(String name, String participantId, Election.Listener listener) {
        StoreKeys.check(name);
        if (participantId == null || participantId.isBlank()) {
            throw new GdException(ErrorCode.STORE_INVALID, "participant id for election '" + name + "' is empty",
                    "give the node's id");
        }
        Objects.requireNonNull(listener, "listener");
        store.checkOpen();
        ZkElection e = new ZkElection(client, name, participantId, listener, store::forget);
        store.track(e);
        try {
            e.start();
        } catch (RuntimeException ex) {
            store.forget(e);
            throw ex;
        }
        return e;
    }

    @Override
    public String toString() {
        return "ZkSession[" + store.namespace() + " " + id() + " " + state + "]";
    }
}
