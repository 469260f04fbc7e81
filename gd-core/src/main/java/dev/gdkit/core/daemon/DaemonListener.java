package dev.gdkit.core.daemon;

/**
 * Told about supervised daemons' lives: for events (brick-started, brick-died) and metrics. Called
 * from the supervisor's threads; must not block.
 */
public interface DaemonListener {
    default void started(DaemonStatus status) {
    }

    /** It exited without being asked to; {@code willRestart} says whether a restart is scheduled. */
    default void died(DaemonStatus status, boolean willRestart) {
    }

    default void stopped(DaemonStatus status) {
    }
}
