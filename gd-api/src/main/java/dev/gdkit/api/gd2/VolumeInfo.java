package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * GlusterD2's volume info ({@code GET /v1/volumes/{name}}, and the body of create, start, stop
 * and expand responses), field for field. {@code state} uses gd-kit's lifecycle names, of which
 * GlusterD2's {@code Created}, {@code Started} and {@code Stopped} are a subset.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VolumeInfo(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("transport") String transport,
        @JsonProperty("distribute-count") int distributeCount,
        @JsonProperty("replica-count") int replicaCount,
        @JsonProperty("arbiter-count") int arbiterCount,
        @JsonProperty("disperse-count") int disperseCount,
        @JsonProperty("disperse-redundancy") int disperseRedundancy,
        @JsonProperty("options") Map<String, String> options,
        @JsonProperty("state") String state,
        @JsonProperty("subvols") List<SubvolInfo> subvols,
        @JsonProperty("metadata") Map<String, String> metadata) {
    public VolumeInfo {
        options = options == null ? Map.of() : Map.copyOf(options);
        subvols = subvols == null ? List.of() : List.copyOf(subvols);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The GlusterD2 view of a stored volume. */
    public static VolumeInfo of(Volume v) {
        List<SubvolInfo> subs = v.subvolumes().stream().map(s -> subvol(v, s)).toList();
        Subvolume first = v.subvolumes().isEmpty() ? null : v.subvolumes().get(0);
        boolean pureDistribute = first != null && first.type() == SubvolumeType.DISTRIBUTE;
        int distributeCount = pureDistribute ? first.bricks().size() : v.subvolumes().size();
        return new VolumeInfo(v.id(), v.name(), v.type().displayName(), v.transport(), distributeCount,
                first == null ? 0 : first.replicaCount(), first == null ? 0 : first.arbiterCount(),
                first == null ? 0 : first.disperseCount(), first == null ? 0 : first.redundancy(),
                v.options(), v.state().displayName(), subs, v.metadata());
    }

    private static SubvolInfo subvol(Volume v, Subvolume s) {
        List<BrickInfo> bricks = s.bricks().stream().map(b -> brick(v, b)).toList();
        return new SubvolInfo(s.name(), s.type().displayName(), bricks, s.replicaCount(), s.arbiterCount());
    }

    private static BrickInfo brick(Volume v, Brick b) {
        return new BrickInfo(b.id(), b.path(), v.id(), v.name(), b.node().value(), b.host(), b.type().displayName());
    }
}
