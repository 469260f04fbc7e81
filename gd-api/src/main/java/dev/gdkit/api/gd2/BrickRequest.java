package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A brick in GlusterD2's volume create request: {@code {"peerid": "...", "path": "...", "type": "brick"}}.
 * {@code type} is {@code brick} or {@code arbiter}; empty means {@code brick}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BrickRequest(
        @JsonProperty("peerid") String peerId,
        @JsonProperty("path") String path,
        @JsonProperty("type") String type) {
}
