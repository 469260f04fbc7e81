package dev.gdkit.api.client;

import dev.gdkit.api.model.OpVersion;
import java.util.Objects;

/**
 * The cluster's op-version and the highest one it could be raised to now.
 *
 * @param current the op-version the cluster runs
 * @param maxAllowed the highest op-version every member can run
 */
public record ClusterOpVersion(OpVersion current, OpVersion maxAllowed) {
    public ClusterOpVersion {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(maxAllowed, "maxAllowed");
    }
}
