package dev.gdkit.bench.vsglusterd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A node's volfiles as texts, and what they say. */
final class Volfiles {
    private Volfiles() {
    }

    /** The texts of the {@code .vol} files under {@code dir} (none when it does not exist). */
    static List<String> readDir(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var s = Files.walk(dir, 3)) {
            for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".vol")).sorted().toList()) {
                out.add(Files.readString(f));
            }
        }
        return out;
    }

    /** Whether the texts set {@code option KEY} at least once and always to {@code value}. */
    static boolean carryOnly(List<String> texts, String key, String value) {
        int seen = 0;
        for (String text : texts) {
            for (String line : text.split("\n")) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 3 && w[0].equals("option") && w[1].equals(key)) {
                    if (!w[2].equals(value)) {
                        return false;
                    }
                    seen++;
                }
            }
        }
        return seen > 0;
    }
}
