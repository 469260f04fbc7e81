package dev.gdkit.zookeeper.store;

import dev.gdkit.core.store.StoreLock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreMutex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lock. Built on {@link InterProcessSemaphoreMutex} rather than InterProcessMutex because
 * the latter is re-entrant and must be released by the thread that took it; a store lock may be
 * released from any thread and is not re-entrant. The lease znode is ephemeral, so a dead session's
 * lock frees itself.
 *
 * <p>{@link #isHeld()} is false while the session is suspended: a disconnected holder cannot know
 * whether the ensemble has expired its session and given the lock to someone else (a partitioned
 * client sees the disconnection, after two thirds of the session timeout, before the server
 * expires the session). It is true again if the same session reconnects, and false for good once
 * the session is lost or the lock released.
 */
final class ZkLock implements StoreLock {
    private static final Logger LOG = LoggerFactory.getLogger(ZkLock.class);

    private final String name;
    private final InterProcessSemaphoreMutex mutex;
    private final Consumer<ZkLock> onEnd;
    private final java.util.function.BooleanSupplier connected;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean held = true;

    ZkLock(String name, InterProcessSemaphoreMutex mutex, Consumer<ZkLock> onEnd, java.util.function.BooleanSupplier connected) {
        this.name = name;
        this.mutex = mutex;
        this.onEnd = onEnd;
        this.connected = connected;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isHeld() {
        return held && connected.getAsBoolean();
    }

    /** The session was lost: the lease znode is gone with it. */
    void lost() {
        if (held) {
            LOG.warn("lock {} lost with the ZooKeeper session", name);
        }
        held = false;
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        held = false;
        onEnd.accept(this);
        try {
            mutex.release();
        } catch (Exception e) {
            // the lease is deleted in the background (guaranteed delete) or went with the session
            LOG.debug("releasing lock {}: {}", name, e.toString());
        }
    }

    @Override
    public String toString() {
        return "ZkLock[" + name + (held ? " held" : " free") + "]";
    }
}
