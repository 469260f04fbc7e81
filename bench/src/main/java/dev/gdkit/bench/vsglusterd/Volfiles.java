package dev.gdkit.bench.vsglusterd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a node's volfiles back from its disk. */
final class Volfiles {
    private Volfiles() {
    }

    /**
     * Whether the {@code .vol} files under {@code dir} set {@code option KEY} at least once and
     * always to {@code value}.
     */
    static boolean carryOnly(Path dir, String key, String value) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        int seen = 0;
        try (var s = Files.walk(dir, 3)) {
            List<Path> files = s.filter(f -> f.getFileName().toString().endsWith(".vol")).toList();
            for (Path f : files) {
                for (String line : Files.readAllLines(f)) {
                    String[] w = line.trim().split("\\s+");
                    if (w.length == 3 && w[0].equals("option") && w[1].equals(key)) {
                        if (!w[2].equals(value)) {
                            return false;
                        }
                        seen++;
                    }
                }
            }
        } catch (IOException e) {
            // a file replaced while being read: read again next time
            return false;
        }
        return seen > 0;
    }
}
