package dev.gdkit.api.model;

import dev.gdkit.api.error.GdException;

/**
 * An operating version: one integer, compared numerically. GlusterFS numbers them as
 * {@code major*10000 + minor*100 + patch} (for example 100000 for 10.0); gd-kit keeps the
 * numbers so options carry over with the version that introduced them.
 */
public record OpVersion(int value) implements Comparable<OpVersion> {
    /** The lowest version: everything is allowed to run at it. */
    public static final OpVersion MIN = new OpVersion(1);

    public OpVersion {
        if (value < 1) {
            throw GdException.invalid("invalid op-version " + value, "op-versions are positive integers");
        }
    }

    public static OpVersion of(int value) {
        return new OpVersion(value);
    }

    public boolean atLeast(OpVersion other) {
        return value >= other.value;
    }

    public static OpVersion max(OpVersion a, OpVersion b) {
        return a.value >= b.value ? a : b;
    }

    public static OpVersion min(OpVersion a, OpVersion b) {
        return a.value <= b.value ? a : b;
    }

    @Override
    public int compareTo(OpVersion o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
