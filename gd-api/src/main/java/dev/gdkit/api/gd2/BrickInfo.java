package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A brick in GlusterD2's volume info response. {@code type}: {@code Brick} or {@code Arbiter}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BrickInfo(
        @JsonProperty("id") String id,
        @JsonProperty("path") String path,
        @JsonProperty("volume-id") String volumeId,
        @JsonProperty("volume-name") String volumeName,
        @JsonProperty("peer-id") String peerId,
        @JsonProperty("host") String host,
        @JsonProperty("type") String type) {
}
