package dev.gdkit.core.store;

/**
 * A mutual-exclusion lock held by a store session. It is lost when the session is lost; a lock held
 * by a dead session never blocks others. Release is idempotent.
 */
public interface StoreLock extends AutoCloseable {
    String name();

    /**
     * Whether this holder still has the lock: false after release or session loss, and false while
     * the session is suspended (a disconnected holder cannot know whether its lock was given away).
     */
    boolean isHeld();

    void release();

    @Override
    default void close() {
        release();
    }
}
