package dev.gdkit.core.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store client's session: the unit of liveness. Ephemeral keys, locks and elections belong to it
 * and vanish when it is {@link SessionState#LOST} or closed.
 */
public interface StoreSession {
    /** An id that changes when the client gets a new session after a loss. */
    String id();

    SessionState state();

    /** Registers a listener for state changes; called from one thread, in order. */
    void addStateListener(Consumer<SessionState> listener);

    /**
     * Creates a key that exists as long as this session does. Fails with
     * {@link StoreConflictException} if the key exists. Ephemeral keys cannot have children.
     */
    void createEphemeral(String key, byte[] value);

    /**
     * Takes the named lock, waiting at most {@code wait}. Empty when the wait ran out. Locks are not
     * reentrant: a second acquire by the same session waits like any other.
     */
    Optional<StoreLock> tryLock(String name, Duration wait);

    /** Joins the named election as {@code participantId}. */
    Election elect(String name, String participantId, Election.Listener listener);
}
