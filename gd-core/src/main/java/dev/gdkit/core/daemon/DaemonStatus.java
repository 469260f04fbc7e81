package dev.gdkit.core.daemon;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A supervised daemon as the supervisor sees it now.
 *
 * @param name the daemon's name
 * @param state what the supervisor is doing with it
 * @param pid its pid while it runs
 * @param port its port (0 when none)
 * @param restarts restarts since it last ran steadily
 * @param lastExitCode the exit code of its last run, if it has exited
 */
public record DaemonStatus(String name, State state, OptionalLong pid, int port, int restarts, OptionalInt lastExitCode) {
    /** Supervision states. */
    public enum State {
        /** Running. */
        RUNNING,
        /** Exited unexpectedly; a restart is scheduled. */
        RESTARTING,
        /** Exited too often in a row; the supervisor gave up. */
        FAILED,
        /** Stopped on request. */
        STOPPED
    }

    public boolean online() {
        return state == State.RUNNING;
    }
}
