package dev.gdkit.core.daemon;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** Launches real operating-system processes with {@link ProcessBuilder}, output appended to the log file. */
public final class LocalProcessLauncher implements ProcessLauncher {
    @Override
    public ManagedProcess launch(DaemonSpec spec) {
        try {
            Files.createDirectories(spec.workDir());
            if (spec.logFile().getParent() != null) {
                Files.createDirectories(spec.logFile().getParent());
            }
            ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(spec.workDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            pb.environment().putAll(spec.environment());
            Process process = pb.start();
            if (spec.pidFile() != null) {
                if (spec.pidFile().getParent() != null) {
                    Files.createDirectories(spec.pidFile().getParent());
                }
                Files.writeString(spec.pidFile(), Long.toString(process.pid()) + "\n");
            }
            return new Local(spec, process);
        } catch (IOException e) {
            throw new GdException(ErrorCode.DAEMON_FAILED, "could not start " + spec.name() + " (" + String.join(" ", spec.command())
                    + "): " + e.getMessage(), "check that the program is installed and the work directory is writable");
        }
    }

    @Override
    public java.util.Optional<ManagedProcess> adopt(DaemonSpec spec) {
        if (spec.pidFile() == null || !Files.isRegularFile(spec.pidFile())) {
            return java.util.Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(spec.pidFile()).trim());
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> sameProgram(c, spec.command().get(0))).orElse(false))
                .map(h -> new Adopted(spec, h));
    }

    /** Whether the running executable {@code running} is the program {@code wanted} (a path or a name on PATH). */
    static boolean sameProgram(String running, String wanted) {
        try {
            java.nio.file.Path w = java.nio.file.Path.of(wanted);
            if (!w.isAbsolute()) {
                String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
                w = java.util.Arrays.stream(path.split(":")).map(d -> java.nio.file.Path.of(d, wanted))
                        .filter(Files::isExecutable).findFirst().orElse(null);
                if (w == null) {
                    return false;
                }
            }
            return w.toRealPath().equals(java.nio.file.Path.of(running).toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A process started before this launcher existed, watched through its {@link ProcessHandle}. */
    private record Adopted(DaemonSpec spec, ProcessHandle handle) implements ManagedProcess {
        @Override
        public OptionalLong pid() {
            return OptionalLong.of(handle.pid());
        }

        /**
         * Alive and not a zombie: an adopted process is not this JVM's child, so once it dies it
         * stays a zombie until its parent (often init, which may reap late) collects it.
         */
        @Override
        public boolean isAlive() {
            return handle.isAlive() && !zombie(handle.pid());
        }

        @Override
        public void reload() {
            signal(spec, handle.pid(), spec.reloadSignal());
        }

        @Override
        public int stop(Duration grace) {
            handle.destroy();
            long deadline = System.nanoTime() + grace.toNanos();
            try {
                while (isAlive()) {
                    if (System.nanoTime() > deadline) {
                        handle.destroyForcibly();
                        break;
                    }
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
            return -1;
        }

        @Override
        public int waitFor() throws InterruptedException {
            while (isAlive()) {
                Thread.sleep(50);
            }
            return -1;
        }
    }

    /** Whether {@code pid} is a zombie (Linux: state Z in /proc/PID/stat); false where /proc does not say. */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void signal(DaemonSpec spec, long pid, String signal) {
        if (signal.isEmpty()) {
            return;
        }
        try {
            new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(pid))).start().waitFor();
        } catch (IOException e) {
            throw new GdException(ErrorCode.DAEMON_FAILED, "could not signal " + spec.name() + ": " + e.getMessage(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Local(DaemonSpec spec, Process process) implements ManagedProcess {
        @Override
        public OptionalLong pid() {
            return OptionalLong.of(process.pid());
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public void reload() {
            if (process.isAlive()) {
                signal(spec, process.pid(), spec.reloadSignal());
            }
        }

        @Override
        public int stop(Duration grace) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return -1;
            }
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }
    }
}
