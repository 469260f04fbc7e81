package dev.gdkit.core.store;

import java.util.Optional;

/**
 * A participation in a leader election bound to the session: at most one live participant leads;
 * when the leader's session ends, another participant is elected. Closing withdraws.
 */
public interface Election extends AutoCloseable {
    String name();

    boolean isLeader();

    /** The current leader's participant id, if any is known. */
    Optional<String> leader();

    @Override
    void close();

    /** Told when this participant gains or loses leadership; called from one thread, in order. */
    @FunctionalInterface
    interface Listener {
        void leadershipChanged(boolean leader);
    }
}
