package dev.gdkit.core.store.memory;

import dev.gdkit.core.concurrent.SerialExecutor;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Election;
import dev.gdkit.core.store.SessionState;
import dev.gdkit.core.store.StoreListener;
import dev.gdkit.core.store.StoreLock;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.StoreSession;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.store.Watch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A client of an {@link InMemoryStoreServer}: one namespace, one session at a time. */
public final class InMemoryClusterStore implements ClusterStore {
    private final InMemoryStoreServer server;
    private final String namespace;
    private final Session session = new Session();
    private final List<Consumer<SessionState>> listeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor listenerExecutor;
    private volatile long sessionNumber;
    private volatile SessionState state = SessionState.CONNECTED;
    private volatile boolean isolated;

    InMemoryClusterStore(InMemoryStoreServer server, String namespace, long sessionNumber) {
        this.server = server;
        this.namespace = namespace;
        this.sessionNumber = sessionNumber;
        this.listenerExecutor = new SerialExecutor(server.callbacks());
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public Optional<Versioned> get(String key) {
        return server.get(this, key);
    }

    @Override
    public List<Versioned> children(String key) {
        return server.children(this, key);
    }

    @Override
    public long commit(List<StoreOp> ops) {
        return server.commit(this, ops, null);
    }

    @Override
    public void deleteTree(String key) {
        server.deleteTree(this, key);
    }

    @Override
    public Watch watch(String prefix, StoreListener listener) {
        InMemoryStoreServer.WatchReg reg = server.watch(this, prefix, listener);
        return new Watch() {
            @Override
            public String prefix() {
                return prefix;
            }

            @Override
            public void close() {
                server.unwatch(reg);
            }
        };
    }

    @Override
    public StoreSession session() {
        return session;
    }

    @Override
    public void close() {
        server.endSession(this, true);
        server.closed(this);
    }

    @Override
    public String toString() {
        return "InMemoryClusterStore[" + namespace + ", session " + sessionNumber + ", " + state + "]";
    }

    // ---- called by the server (under its lock where it matters)

    String full(String key) {
        return namespace + "/" + key;
    }

    long sessionNumber() {
        return sessionNumber;
    }

    SessionState state() {
        return state;
    }

    boolean isolated() {
        return isolated;
    }

    void setIsolated(boolean isolated) {
        this.isolated = isolated;
    }

    void connectivityChanged(boolean reachable) {
        if (state == SessionState.CLOSED) {
            return;
        }
        SessionState next = reachable ? SessionState.CONNECTED : SessionState.SUSPENDED;
        if (state != next) {
            setState(next);
        }
    }

    /** The session ended; {@code next} is the new session's number, or -1 when the client closed. */
    void sessionEnded(long next) {
        if (next < 0) {
            setState(SessionState.CLOSED);
            return;
        }
        setState(SessionState.LOST);
        sessionNumber = next;
        if (!isolated && server.isAvailable()) {
            setState(SessionState.CONNECTED);
        } else {
            setState(SessionState.SUSPENDED);
        }
    }

    private void setState(SessionState next) {
        state = next;
        for (Consumer<SessionState> l : listeners) {
            listenerExecutor.execute(() -> l.accept(next));
        }
    }

    private final class Session implements StoreSession {
        @Override
        public String id() {
            return "mem-" + sessionNumber;
        }

        @Override
        public SessionState state() {
            return state;
        }

        @Override
        public void addStateListener(Consumer<SessionState> listener) {
            listeners.add(listener);
        }

        @Override
        public void createEphemeral(String key, byte[] value) {
            server.commit(InMemoryClusterStore.this, List.of(StoreOp.create(key, value)), sessionNumber);
        }

        @Override
        public Optional<StoreLock> tryLock(String name, Duration wait) {
            return server.tryLock(InMemoryClusterStore.this, name, wait).map(h -> new StoreLock() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public boolean isHeld() {
                    return server.isHeld(h);
                }

                @Override
                public void release() {
                    server.release(h);
                }
            });
        }

        @Override
        public Election elect(String name, String participantId, Election.Listener listener) {
            InMemoryStoreServer.Candidate c = server.elect(InMemoryClusterStore.this, name, participantId, listener);
            return new Election() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public boolean isLeader() {
                    return c.leader;
                }

                @Override
                public Optional<String> leader() {
                    return server.leaderOf(c.fullName);
                }

                @Override
                public void close() {
                    server.withdraw(c);
                }
            };
        }
    }
}
