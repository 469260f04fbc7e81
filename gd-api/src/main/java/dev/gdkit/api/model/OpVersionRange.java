package dev.gdkit.api.model;

import dev.gdkit.api.error.GdException;
import java.util.Objects;

/** The op-versions a node can run, both ends included. */
public record OpVersionRange(OpVersion min, OpVersion max) {
    public OpVersionRange {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.compareTo(max) > 0) {
            throw GdException.invalid("op-version range [" + min + ", " + max + "] is empty",
                    "the minimum must not exceed the maximum");
        }
    }

    public static OpVersionRange of(int min, int max) {
        return new OpVersionRange(OpVersion.of(min), OpVersion.of(max));
    }

    public boolean contains(OpVersion v) {
        return v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
