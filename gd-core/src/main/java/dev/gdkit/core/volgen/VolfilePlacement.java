package dev.gdkit.core.volgen;

import dev.gdkit.api.model.NodeId;
import java.util.Collection;
import java.util.Set;

/**
 * Where a volfile is kept.
 *
 * <ul>
 *   <li>{@link #on(NodeId)} / {@link #on(Collection)}: on the disk of the nodes whose processes read
 *       it (a brick's volfile on the brick's node; the self-heal graph on the nodes hosting a brick of
 *       the volume, where the self-heal daemon runs). A change of the file is a step on those nodes.</li>
 *   <li>{@link #served()}: on no node's disk. Graphs that clients fetch (FUSE, trusted, gfproxy
 *       clients) and graphs of processes started on request (rebalance, gfproxyd) are rendered from
 *       the volume's record whenever they are asked for, so a change of them is a store commit only
 *       and costs the same whatever the pool's size.</li>
 * </ul>
 *
 * @param nodes the nodes that keep the file on disk; empty for a served file
 */
public record VolfilePlacement(Set<NodeId> nodes) {
    private static final VolfilePlacement SERVED = new VolfilePlacement(Set.of());

    public VolfilePlacement {
        nodes = nodes == null ? Set.of() : Set.copyOf(nodes);
    }

    /** Kept on no node's disk: rendered from the volume's record on request. */
    public static VolfilePlacement served() {
        return SERVED;
    }

    public static VolfilePlacement on(NodeId node) {
        return new VolfilePlacement(Set.of(node));
    }

    public static VolfilePlacement on(Collection<NodeId> nodes) {
        return nodes.isEmpty() ? SERVED : new VolfilePlacement(Set.copyOf(nodes));
    }

    /** Whether a node must keep the file on its disk. */
    public boolean belongsOn(NodeId candidate) {
        return nodes.contains(candidate);
    }

    /** Whether the file lives on no disk and is rendered on request. */
    public boolean isServed() {
        return nodes.isEmpty();
    }
}
