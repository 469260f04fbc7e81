package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.Election;
import dev.gdkit.core.store.StoreUnavailableException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A participation in an election, on Curator's {@link LeaderLatch}. Leadership is dropped when the
 * connection is suspended or the session lost; after a new session the latch takes part again
 * (the participation, not the leadership, survives a session loss).
 */
final class ZkElection implements Election {
    private static final Logger LOG = LoggerFactory.getLogger(ZkElection.class);

    private final String name;
    private final String participantId;
    private final LeaderLatch latch;
    private final ExecutorService dispatch;
    private final Consumer<AutoCloseable> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    ZkElection(CuratorFramework client, String name, String participantId, Election.Listener listener, Consumer<AutoCloseable> onClose) {
        this.name = name;
        this.participantId = participantId;
        this.onClose = onClose;
        this.latch = new LeaderLatch(client, ZkLayout.ELECTIONS + "/" + name, participantId, LeaderLatch.CloseMode.NOTIFY_LEADER);
        this.dispatch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gd-zk-election-" + name + "-" + participantId);
            t.setDaemon(true);
            return t;
        });
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                notify(true);
            }

            @Override
            public void notLeader() {
                notify(false);
            }

            private void notify(boolean leader) {
                try {
                    listener.leadershipChanged(leader);
                } catch (RuntimeException e) {
                    LOG.warn("election listener of {} failed", name, e);
                }
            }
        }, dispatch);
    }

    void start() {
        try {
            latch.start();
        } catch (Exception e) {
            throw new StoreUnavailableException("could not join election '" + name + "': " + e, false, e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLeader() {
        return !closed.get() && latch.hasLeadership();
    }

    @Override
    public Optional<String> leader() {
        if (closed.get()) {
            return Optional.empty();
        }
        try {
            Participant p = latch.getLeader();
            return p == null || p.getId().isEmpty() ? Optional.empty() : Optional.of(p.getId());
        } catch (Exception e) {
            LOG.debug("leader of {} unknown: {}", name, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("closing election {}: {}", name, e.toString());
        }
        dispatch.shutdown();
    }

    @Override
    public String toString() {
        return "ZkElection[" + name + " as " + participantId + "]";
    }
}
