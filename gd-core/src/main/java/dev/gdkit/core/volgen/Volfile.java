package dev.gdkit.core.volgen;

import java.util.Objects;

/**
 * One generated volfile.
 *
 * @param fileName the file name exactly as glusterd names it (no directory)
 * @param kind which graph it holds
 * @param placement which node(s) keep it
 * @param text the volfile text, ready to write (UTF-8, {@code \n} line ends)
 */
public record Volfile(String fileName, VolfileKind kind, VolfilePlacement placement, String text) {
    public Volfile {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(text, "text");
    }
}
