package dev.gdkit.api.gd2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gdkit.api.error.GdException;

/** Reads and writes GlusterD2's JSON shapes. Instances are immutable and thread-safe. */
public final class Gd2Json {
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses JSON into {@code type}; malformed input is an INVALID_ARGUMENT error saying where. */
    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw GdException.invalid("malformed " + type.getSimpleName() + " JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr(),
                    "send a JSON body shaped like GlusterD2's " + type.getSimpleName());
        }
    }
}
