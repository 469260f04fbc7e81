package dev.gdkit.core.volume.brick;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where file systems are mounted: the source of "is a mount point" and "is on the root file
 * system" answers. {@link #proc()} reads {@code /proc/self/mounts}; tests give a fixed table.
 */
@FunctionalInterface
public interface MountTable {
    /** A mounted file system: where, and its device (or source). */
    record Mount(Path mountPoint, String device) {
    }

    /** The current mounts, in mount order (later mounts hide earlier ones at the same point). */
    List<Mount> mounts();

    /** The mount a path lives on: the longest mount point that contains it (the last one mounted there). */
    default Optional<Mount> mountOf(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Mount best = null;
        for (Mount m : mounts()) {
            if (abs.startsWith(m.mountPoint()) && (best == null
                    || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    static MountTable of(List<Mount> mounts) {
        List<Mount> copy = List.copyOf(mounts);
        return () -> copy;
    }

    /** The kernel's table of this process's mounts. */
    static MountTable proc() {
        return () -> {
            try {
                List<Mount> out = new ArrayList<>();
                for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                    String[] f = line.split(" ");
                    if (f.length >= 2) {
                        out.add(new Mount(Path.of(unescape(f[1])), unescape(f[0])));
                    }
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc/self/mounts", e);
            }
        };
    }

    /** Undoes the octal escapes ({@code \040} for a space) of the mounts file. */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
