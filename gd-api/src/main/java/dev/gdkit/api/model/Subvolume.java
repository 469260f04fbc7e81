package dev.gdkit.api.model;

import java.util.List;
import java.util.Objects;

/**
 * One replica set, disperse set, or (for pure distribute) the set of all bricks.
 *
 * @param name the subvolume's name, {@code <volume>-replicate-<n>} and so on
 * @param type how it spreads data
 * @param bricks its bricks, in order
 * @param replicaCount bricks per replica set (0 when not replicate)
 * @param arbiterCount arbiter bricks per replica set
 * @param disperseCount bricks per disperse set (0 when not disperse)
 * @param redundancy bricks per disperse set that may fail
 */
public record Subvolume(String name, SubvolumeType type, List<Brick> bricks, int replicaCount, int arbiterCount,
                        int disperseCount, int redundancy) {
    public Subvolume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        bricks = List.copyOf(bricks);
    }
}
