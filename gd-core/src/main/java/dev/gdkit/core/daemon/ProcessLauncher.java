package dev.gdkit.core.daemon;

/**
 * Starts managed processes: real ones ({@link LocalProcessLauncher}) or simulated ones in the
 * testkit. Thread-safe. A launch that fails throws {@code DAEMON_FAILED} saying which command and
 * why; nothing is left running.
 */
@FunctionalInterface
public interface ProcessLauncher {
    ManagedProcess launch(DaemonSpec spec);

    /**
     * Takes over a process that still runs from before this launcher (or its host) restarted, found
     * through the spec's pid file; empty when there is none or the pid belongs to something else.
     */
    default java.util.Optional<ManagedProcess> adopt(DaemonSpec spec) {
        return java.util.Optional.empty();
    }
}
