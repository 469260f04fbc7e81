package dev.gdkit.core.volgen;

import dev.gdkit.api.model.NodeId;

import java.util.List;
import java.util.Optional;

/**
 * Every volfile of one volume, in a deterministic order (bricks in volume order, then the
 * volume-wide files).
 */
public record VolfileSet(String volumeName, List<Volfile> files) {
    public VolfileSet {
        files = List.copyOf(files);
    }

    /** The files one node must hold: its own brick volfiles plus every volume-wide file. */
    public List<Volfile> forNode(NodeId node) {
        return files.stream().filter(f -> f.placement().belongsOn(node)).toList();
    }

    public Optional<Volfile> byName(String fileName) {
        return files.stream().filter(f -> f.fileName().equals(fileName)).findFirst();
    }
}
