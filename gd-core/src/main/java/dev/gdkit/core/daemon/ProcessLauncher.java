package dev.gdkit.core.daemon;

/**
 * Starts managed processes: real ones ({@link LocalProcessLauncher}) or simulated ones in the
 * testkit. Thread-safe. A launch that fails throws {@code DAEMON_FAILED} saying which command and
 * why; nothing is left running.
 */
@FunctionalInterface
public interface ProcessLauncher {
    ManagedProcess launch(DaemonSpec spec);
}
