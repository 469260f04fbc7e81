package dev.gdkit.volgen.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A volume as a user asks for it, in the conformance corpus's {@code spec.json} format.
 *
 * @param name the volume name
 * @param create the gluster CLI's create flags ({@code replica 3 arbiter 1}); empty for distribute
 * @param bricks the bricks, in order
 * @param options {@code volume set} options in order; the key {@code group} applies a group
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record VolumeSpec(String name, String create, List<BrickSpec> bricks, LinkedHashMap<String, String> options) {
    public VolumeSpec {
        create = create == null ? "" : create;
        bricks = bricks == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(bricks));
        options = options == null ? new LinkedHashMap<>() : new LinkedHashMap<>(options);
    }

    /** The options, in order (read-only view). */
    public Map<String, String> orderedOptions() {
        return java.util.Collections.unmodifiableMap(options);
    }

    /** One brick: host and absolute path. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record BrickSpec(String host, String path) {
    }
}
