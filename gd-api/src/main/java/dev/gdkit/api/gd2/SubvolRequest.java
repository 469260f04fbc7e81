package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A subvolume in GlusterD2's volume create request. {@code type}: distribute, replicate or disperse. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record SubvolRequest(
        @JsonProperty("type") String type,
        @JsonProperty("bricks") List<BrickRequest> bricks,
        @JsonProperty("replica") int replica,
        @JsonProperty("arbiter") int arbiter,
        @JsonProperty("disperse-count") int disperseCount,
        @JsonProperty("disperse-data") int disperseData,
        @JsonProperty("disperse-redundancy") int disperseRedundancy) {
    public SubvolRequest {
        bricks = bricks == null ? List.of() : List.copyOf(bricks);
    }
}
