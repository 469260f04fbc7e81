package dev.gdkit.api.gd2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GlusterD2's error body: {@code {"errors": [...]}}. gd-kit sends its stable numeric code in
 * {@code code}, the remedy in {@code fields.remedy}, and one extra entry per failed node with
 * {@code fields} {@code peer-id}, {@code step}, {@code error} as GlusterD2 does.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorResponse(@JsonProperty("errors") List<ApiError> errors) {
    public ErrorResponse {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ErrorResponse of(GdException e) {
        List<ApiError> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("error-code", e.code().name());
        if (!e.remedy().isEmpty()) {
            fields.put("remedy", e.remedy());
        }
        out.add(new ApiError(e.code().number(), e.getMessage(), fields));
        for (NodeError n : e.nodeErrors()) {
            Map<String, String> nf = new LinkedHashMap<>();
            nf.put("peer-id", n.node());
            nf.put("step", n.step());
            nf.put("error", n.message());
            nf.put("error-code", n.code().name());
            if (!n.remedy().isEmpty()) {
                nf.put("remedy", n.remedy());
            }
            out.add(new ApiError(n.code().number(), n.toString(), nf));
        }
        return new ErrorResponse(out);
    }
}
