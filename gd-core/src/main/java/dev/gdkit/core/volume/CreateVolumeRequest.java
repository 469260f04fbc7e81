package dev.gdkit.core.volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A volume create request in the gluster CLI's terms: a name, a layout, bricks as
 * {@code host:/absolute/path} in set order, options and brick flags. Build with {@link #builder(String)}.
 *
 * @param name the volume name
 * @param transport tcp or rdma
 * @param replica replica count (0: not replicated)
 * @param arbiter arbiter bricks per replica set (0 or 1; the last brick of each set)
 * @param disperse disperse count (0: not dispersed)
 * @param redundancy redundancy of each disperse set (0 with disperse: the optimal value)
 * @param bricks the bricks, each replica or disperse set as consecutive entries
 * @param options options to set at create time, in order (group keys allowed)
 * @param flags brick checks to relax
 * @param metadata user labels (at most 4 KiB in total; keys starting with '_' are reserved)
 */
public record CreateVolumeRequest(String name, String transport, int replica, int arbiter, int disperse, int redundancy,
                                  List<String> bricks, Map<String, String> options, BrickFlags flags,
                                  Map<String, String> metadata) {
    public CreateVolumeRequest {
        transport = transport == null || transport.isEmpty() ? "tcp" : transport;
        bricks = List.copyOf(bricks);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        flags = flags == null ? BrickFlags.none() : flags;
        metadata = Map.copyOf(metadata);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builder; defaults: distribute, tcp, no options, no flags. */
    public static final class Builder {
        private final String name;
        private String transport = "tcp";
        private int replica;
        private int arbiter;
        private int disperse;
        private int redundancy;
        private final List<String> bricks = new ArrayList<>();
        private final Map<String, String> options = new LinkedHashMap<>();
        private BrickFlags flags = BrickFlags.none();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder transport(String t) {
            transport = t;
            return this;
        }

        public Builder replica(int n) {
            replica = n;
            return this;
        }

        public Builder arbiter(int n) {
            arbiter = n;
            return this;
        }

        public Builder disperse(int n) {
            disperse = n;
            return this;
        }

        public Builder redundancy(int n) {
            redundancy = n;
            return this;
        }

        public Builder brick(String hostColonPath) {
            bricks.add(Objects.requireNonNull(hostColonPath, "brick"));
            return this;
        }

        public Builder bricks(List<String> all) {
            all.forEach(this::brick);
            return this;
        }

        public Builder option(String key, String value) {
            options.put(key, value);
            return this;
        }

        public Builder options(Map<String, String> all) {
            options.putAll(all);
            return this;
        }

        public Builder flags(BrickFlags f) {
            flags = f;
            return this;
        }

        public Builder force(boolean f) {
            flags = flags.withForce(f);
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        public CreateVolumeRequest build() {
            return new CreateVolumeRequest(name, transport, replica, arbiter, disperse, redundancy, bricks, options, flags, metadata);
        }
    }
}
