package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A subvolume in GlusterD2's volume info response. {@code type}: Distribute, Replicate or Disperse. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubvolInfo(
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("bricks") List<BrickInfo> bricks,
        @JsonProperty("replica-count") int replicaCount,
        @JsonProperty("arbiter-count") int arbiterCount) {
    public SubvolInfo {
        bricks = bricks == null ? List.of() : List.copyOf(bricks);
    }
}
