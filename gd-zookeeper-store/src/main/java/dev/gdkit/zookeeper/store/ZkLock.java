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
 */
final class ZkLock implements StoreLock {
    private static final Logger LOG = LoggerFactory.getLogger(ZkLock.class);

    private final String name;
    private final InterProcessSemaphoreMutex mutex;
    private final Consumer<ZkLock> onEnd;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean held = true;

    ZkLock(String name, InterProcessSemaphoreMutex mutex, Consumer<ZkLock> onEnd) {
        this.name = name;
        this.mutex = mutex;
        this.onEnd = onEnd;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isHeld() {
        return held;
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
