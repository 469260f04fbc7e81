package dev.gdkit.bench.vsglusterd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small process and file helpers for the side-by-side run. */
final class Procs {
    private Procs() {
    }

    /** Runs a command to its end; returns its combined output, or throws with it when it fails. */
    static String run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within " + timeout);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text.strip());
        }
        return text;
    }

    /** Waits until {@code done} holds, polling every few milliseconds. */
    static void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Resident set size of a process in bytes, from /proc/PID/status (VmRSS). */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Kills a process (and waits a little for it), by pid. */
    static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // a killed process that is not our child stays a zombie until init reaps it: that counts as gone
            while (h.isAlive() && !zombie(pid)) {
                if (System.nanoTime() > deadline) {
                    h.destroyForcibly();
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    h.destroyForcibly();
                    return;
                }
            }
        });
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** Whether every file of {@code dir} whose name ends with {@code suffix} contains {@code text}, and there is one. */
    static boolean filesContain(Path dir, String suffix, String text) {
        try (var s = Files.list(dir)) {
            List<Path> files = s.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            if (files.isEmpty()) {
                return false;
            }
            for (Path f : files) {
                if (!Files.readString(f).contains(text)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
