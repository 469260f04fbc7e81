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
            return new Local(spec, pb.start());
        } catch (IOException e) {
            throw new GdException(ErrorCode.DAEMON_FAILED, "could not start " + spec.name() + " (" + String.join(" ", spec.command())
                    + "): " + e.getMessage(), "check that the program is installed and the work directory is writable");
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
            if (spec.reloadSignal().isEmpty() || !process.isAlive()) {
                return;
            }
            try {
                new ProcessBuilder(List.of("kill", "-" + spec.reloadSignal(), Long.toString(process.pid()))).start().waitFor();
            } catch (IOException e) {
                throw new GdException(ErrorCode.DAEMON_FAILED, "could not signal " + spec.name() + ": " + e.getMessage(), "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
