package dev.gdkit.core.opversion;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import java.util.Collection;

/**
 * How the pool's single operating version is chosen and who may join. Implementations are
 * stateless and thread-safe; the engine calls them inside transactions.
 */
public interface OpVersionPolicy {
    /**
     * Checks that a node with {@code joiner}'s range can join a cluster running {@code cluster}.
     * Throws {@link ErrorCode#OP_VERSION_INCOMPATIBLE} with both versions in the message.
     */
    default void checkJoin(OpVersion cluster, OpVersionRange joiner, String joinerName) {
        if (!joiner.contains(cluster)) {
            throw new GdException(ErrorCode.OP_VERSION_INCOMPATIBLE, "node " + joinerName + " supports op-versions "
                    + joiner + " but the cluster runs op-version " + cluster,
                    joiner.max().compareTo(cluster) < 0 ? "upgrade " + joinerName + " to a release that supports op-version " + cluster
                            : "the node is too new for this cluster; raise the cluster's op-version first");
        }
    }

    /** {@code cluster.max-op-version}: the lowest maximum among the peers' ranges. */
    default OpVersion maxClusterVersion(Collection<OpVersionRange> peers) {
        return peers.stream().map(OpVersionRange::max).min(OpVersion::compareTo).orElse(OpVersion.MIN);
    }

    /**
     * The version the cluster should run after the highest version any volume's options need
     * changed to {@code highestInUse}. {@code current} is the version now, {@code floor} the
     * cluster's minimum (the highest minimum among peers).
     */
    OpVersion target(OpVersion current, OpVersion highestInUse, OpVersion floor);

    /** Whether an explicit {@code cluster.op-version} set may lower the version. Never, in both built-ins. */
    default boolean allowsExplicitLowering() {
        return false;
    }

    /** The version follows the highest version in use, never below the floor: lowering happens by itself. */
    static OpVersionPolicy followUsage() {
        return (current, highestInUse, floor) -> OpVersion.max(highestInUse, floor);
    }

    /** GlusterFS's classic behaviour: the version only goes up, raised by use or an explicit bump. */
    static OpVersionPolicy neverLower() {
        return (current, highestInUse, floor) -> OpVersion.max(current, OpVersion.max(highestInUse, floor));
    }
}
