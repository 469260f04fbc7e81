package dev.gdkit.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A volume as the cluster stores it.
 *
 * @param id the volume's id (a UUID string; it is also the bricks' volume-id xattr)
 * @param name the volume's name
 * @param type its layout
 * @param transport {@code tcp} (or {@code rdma})
 * @param subvolumes its subvolumes in order
 * @param options options set explicitly (keys as the catalog names them)
 * @param state its lifecycle state
 * @param metadata free-form labels
 */
public record Volume(String id, String name, VolumeType type, String transport, List<Subvolume> subvolumes,
                     Map<String, String> options, VolumeState state, Map<String, String> metadata) {
    public Volume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        transport = transport == null ? "tcp" : transport;
        subvolumes = List.copyOf(subvolumes);
        options = Map.copyOf(options);
        Objects.requireNonNull(state, "state");
        metadata = Map.copyOf(metadata);
    }

    /** Every brick of every subvolume, in order. */
    public List<Brick> bricks() {
        return subvolumes.stream().flatMap(s -> s.bricks().stream()).toList();
    }

    public Volume withState(VolumeState newState) {
        return new Volume(id, name, type, transport, subvolumes, options, newState, metadata);
    }

    public Volume withOptions(Map<String, String> newOptions) {
        return new Volume(id, name, type, transport, subvolumes, newOptions, state, metadata);
    }
}
