package dev.gdkit.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.io.IOException;

/** JSON encoding of the records gd-core keeps in the store. Immutable and thread-safe. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), "");
        }
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "stored " + type.getSimpleName() + " is not readable: " + e.getMessage(),
                    "the store holds data this version cannot read; check the versions of the nodes");
        }
    }
}
