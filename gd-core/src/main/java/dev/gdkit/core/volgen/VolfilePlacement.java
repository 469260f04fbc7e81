package dev.gdkit.core.volgen;

import dev.gdkit.api.model.NodeId;

import java.util.Optional;

/**
 * Where a volfile belongs.
 *
 * @param node the one node that needs the file (brick volfiles), or empty when every node of the
 *             cluster keeps a copy (client, self-heal, rebalance and gfproxy volfiles)
 */
public record VolfilePlacement(Optional<NodeId> node) {
    private static final VolfilePlacement EVERY_NODE = new VolfilePlacement(Optional.empty());

    public VolfilePlacement {
        node = node == null ? Optional.empty() : node;
    }

    public static VolfilePlacement everyNode() {
        return EVERY_NODE;
    }

    public static VolfilePlacement on(NodeId node) {
        return new VolfilePlacement(Optional.of(node));
    }

    /** Whether a node must hold the file. */
    public boolean belongsOn(NodeId candidate) {
        return node.map(candidate::equals).orElse(true);
    }
}
