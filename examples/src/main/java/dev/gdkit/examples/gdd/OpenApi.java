package dev.gdkit.examples.gdd;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI 3.0 document of gdd's REST API, generated from the route table and the request and response records. */
final class OpenApi {
    private OpenApi() {
    }

    static Map<String, Object> document(List<RestServer.Route> routes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "gdd REST API (GlusterD2 /v1 compatible)", "version", Routes.VERSION));
        Map<String, Object> schemas = new LinkedHashMap<>();
        schemas.put("Error", Map.of("type", "object", "properties", Map.of("errors", Map.of("type", "array", "items", Map.of(
                "type", "object", "properties", Map.of("code", Map.of("type", "integer"), "message", Map.of("type", "string"),
                        "fields", Map.of("type", "object", "additionalProperties", Map.of("type", "string"))))))));
        Map<String, Map<String, Object>> paths = new LinkedHashMap<>();
        for (RestServer.Route r : routes) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("operationId", r.name().replaceAll(" .*", ""));
            op.put("summary", r.name());
            List<Object> params = new ArrayList<>();
            for (String n : r.names()) {
                params.add(Map.of("name", n, "in", "path", "required", true, "schema", Map.of("type", "string")));
            }
            if (!params.isEmpty()) {
                op.put("parameters", params);
            }
            if (r.request() != null) {
                op.put("requestBody", Map.of("required", true, "content", Map.of("application/json",
                        Map.of("schema", schema(r.request(), schemas)))));
            }
            Map<String, Object> responses = new LinkedHashMap<>();
            if (r.response() == String.class) {
                responses.put("200", Map.of("description", "text", "content", Map.of("text/plain", Map.of("schema", Map.of("type", "string")))));
            } else if (r.response() != null) {
                responses.put("200", Map.of("description", "success", "content", Map.of("application/json",
                        Map.of("schema", schema(r.response(), schemas)))));
            } else {
                responses.put("204", Map.of("description", "success, no content"));
            }
            responses.put("default", Map.of("description", "GlusterD2 error", "content", Map.of("application/json",
                    Map.of("schema", Map.of("$ref", "#/components/schemas/Error")))));
            op.put("responses", responses);
            paths.computeIfAbsent(r.template(), k -> new LinkedHashMap<>()).put(r.method().toLowerCase(java.util.Locale.ROOT), op);
        }
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas));
        return doc;
    }

    private static Map<String, Object> schema(Type t, Map<String, Object> schemas) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return Map.of("type", "array", "items", schema(p.getActualTypeArguments()[0], schemas));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schema(p.getActualTypeArguments()[1], schemas));
            }
            return Map.of("type", "object");
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            return Map.of("type", "string");
        }
        if (c == int.class || c == long.class || c == Integer.class || c == Long.class) {
            return Map.of("type", "integer");
        }
        if (c == boolean.class || c == Boolean.class) {
            return Map.of("type", "boolean");
        }
        if (!c.isRecord()) {
            return Map.of("type", "object");
        }
        String name = c.getSimpleName();
        if (!schemas.containsKey(name)) {
            schemas.put(name, Map.of());
            Map<String, Object> props = new LinkedHashMap<>();
            for (RecordComponent rc : c.getRecordComponents()) {
                JsonProperty jp = rc.getAnnotation(JsonProperty.class);
                props.put(jp != null ? jp.value() : rc.getName(), schema(rc.getGenericType(), schemas));
            }
            schemas.put(name, Map.of("type", "object", "additionalProperties", false, "properties", props));
        }
        return Map.of("$ref", "#/components/schemas/" + name);
    }
}
