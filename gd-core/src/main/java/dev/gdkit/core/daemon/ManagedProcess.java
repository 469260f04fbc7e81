package dev.gdkit.core.daemon;

import java.time.Duration;
import java.util.OptionalLong;

/** A process started by a {@link ProcessLauncher}. Thread-safe. */
public interface ManagedProcess {
    DaemonSpec spec();

    /** The operating-system pid, when known. */
    OptionalLong pid();

    boolean isAlive();

    /** Asks the process to re-read its configuration (its reload signal). */
    void reload();

    /** Stops it: a polite signal, then a kill after {@code grace}. Returns its exit code. */
    int stop(Duration grace);

    /** Waits for it to exit and returns its exit code (-1 when unknown, for an adopted process). */
    int waitFor() throws InterruptedException;
}
