package dev.gdkit.core.membership;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** The cluster-wide record at {@code cluster/info}. */
public record ClusterInfo(String clusterId, int opVersion) {
    @JsonCreator
    public ClusterInfo(@JsonProperty("clusterId") String clusterId, @JsonProperty("opVersion") int opVersion) {
        this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
        this.opVersion = opVersion;
    }
}
