package dev.gdkit.examples.gdd;

import java.nio.file.Path;
import java.util.List;

/** Clean-up shared by the tests that run several gdd nodes in this JVM. */
final class GddTesting {
    private GddTesting() {
    }

    /** Stops every node and its processes, then kills any process left whose command line names {@code dir}. */
    static void stopAll(List<Gdd> nodes, Path dir) {
        for (Gdd g : nodes) {
            try {
                g.closeAndStopDaemons();
            } catch (RuntimeException e) {
                System.err.println("closing gdd: " + e);
            }
        }
        String mine = dir.toString();
        for (ProcessHandle h : ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(mine)).toList()) {
            System.err.println("killing left-over process " + h.pid() + ": " + h.info().commandLine().orElse(""));
            h.destroyForcibly();
        }
    }
}
