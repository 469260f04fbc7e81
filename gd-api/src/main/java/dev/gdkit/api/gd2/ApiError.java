package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One entry of GlusterD2's error response: {@code {"code": .., "message": "..", "fields": {..}}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiError(
        @JsonProperty("code") int code,
        @JsonProperty("message") String message,
        @JsonProperty("fields") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> fields) {
    public ApiError {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
}
