package dev.gdkit.core.daemon;

import dev.gdkit.api.error.GdException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a managed process is: its command, the volfile it runs, its port, pid and log files, and how
 * it reloads. Immutable; build with {@link #builder(String)}.
 *
 * @param name a unique name on the node (for example {@code brick-vol1-data-b1} or {@code glustershd})
 * @param command the program and arguments
 * @param environment extra environment variables
 * @param workDir the working directory
 * @param pidFile where the process writes its pid (may be null when the launcher tracks it)
 * @param logFile where its output goes
 * @param port the port it listens on, 0 when none
 * @param reloadSignal the signal that makes it re-read its volfile (for example {@code HUP}), or "" to restart instead
 * @param restartBackoff the first wait before restarting a crashed process (doubles each time)
 * @param maxRestarts how many restarts in a row before giving up
 */
public record DaemonSpec(String name, List<String> command, Map<String, String> environment, Path workDir, Path pidFile,
                         Path logFile, int port, String reloadSignal, Duration restartBackoff, int maxRestarts) {
    public DaemonSpec {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw GdException.invalid("daemon " + name + " has an empty command", "give the program and its arguments");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(logFile, "logFile");
        if (port < 0 || port > 65535) {
            throw GdException.invalid("daemon " + name + " has port " + port, "ports are 0 (none) to 65535");
        }
        reloadSignal = reloadSignal == null ? "" : reloadSignal;
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        if (maxRestarts < 0) {
            throw GdException.invalid("daemon " + name + " has maxRestarts " + maxRestarts, "use 0 or more");
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link DaemonSpec}. */
    public static final class Builder {
        private final String name;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> environment = new TreeMap<>();
        private Path workDir;
        private Path pidFile;
        private Path logFile;
        private int port;
        private String reloadSignal = "";
        private Duration restartBackoff = Duration.ofSeconds(1);
        private int maxRestarts = 5;

        private Builder(String name) {
            this.name = name;
        }

        public Builder command(List<String> cmd) {
            command.clear();
            command.addAll(cmd);
            return this;
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder workDir(Path p) {
            this.workDir = p;
            return this;
        }

        public Builder pidFile(Path p) {
            this.pidFile = p;
            return this;
        }

        public Builder logFile(Path p) {
            this.logFile = p;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder reloadSignal(String signal) {
            this.reloadSignal = signal;
            return this;
        }

        public Builder restartBackoff(Duration d) {
            this.restartBackoff = d;
            return this;
        }

        public Builder maxRestarts(int n) {
            this.maxRestarts = n;
            return this;
        }

        public DaemonSpec build() {
            return new DaemonSpec(name, command, environment, workDir, pidFile, logFile, port, reloadSignal,
                    restartBackoff, maxRestarts);
        }
    }
}
