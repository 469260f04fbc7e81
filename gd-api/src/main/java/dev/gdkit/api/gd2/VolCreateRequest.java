package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * GlusterD2's volume create request ({@code POST /v1/volumes}), field for field. Older GD2 clients
 * send {@code advanced}/{@code experimental}/{@code deprecated}; they are read as the
 * {@code allow-*-options} fields. Smart-volume sizing fields are accepted and ignored when zero.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VolCreateRequest(
        @JsonProperty("name") String name,
        @JsonProperty("transport") String transport,
        @JsonProperty("subvols") List<SubvolRequest> subvols,
        @JsonProperty("options") Map<String, String> options,
        @JsonProperty("allow-advanced-options") @JsonAlias("advanced") boolean allowAdvancedOptions,
        @JsonProperty("allow-experimental-options") @JsonAlias("experimental") boolean allowExperimentalOptions,
        @JsonProperty("allow-deprecated-options") @JsonAlias("deprecated") boolean allowDeprecatedOptions,
        @JsonProperty("force") boolean force,
        @JsonProperty("flags") Map<String, Boolean> flags,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("size") long size) {

    /** The brick flags GlusterD2 accepts in {@code flags}. */
    public static final List<String> KNOWN_FLAGS =
            List.of("reuse-bricks", "allow-root-dir", "allow-mount-as-brick", "create-brick-dir");

    public VolCreateRequest {
        transport = transport == null || transport.isEmpty() ? "tcp" : transport;
        subvols = subvols == null ? List.of() : List.copyOf(subvols);
        options = options == null ? Map.of() : Map.copyOf(options);
        flags = flags == null ? Map.of() : Map.copyOf(flags);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Whether a brick flag is set ({@code false} when absent). */
    public boolean flag(String name) {
        return Boolean.TRUE.equals(flags.get(name));
    }
}
