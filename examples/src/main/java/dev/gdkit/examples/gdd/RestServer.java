package dev.gdkit.examples.gdd;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.ApiError;
import dev.gdkit.api.gd2.ErrorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The REST server (Jetty 12, core handlers): GlusterD2's {@code /v1} routes from {@link Routes},
 * request ids, body limits, strict JSON (unknown fields refused), GD2's error format for every
 * failure including Jetty's own, and latency metrics.
 */
final class RestServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);

    /** What a route handler gets. */
    record Call(String method, String path, Map<String, String> params, String query, byte[] body, String reqId) {
        String param(String name) {
            return params.get(name);
        }

        boolean hasBody() {
            return body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank();
        }
    }

    /** A handler's answer. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }

        static Reply text(String body) {
            return new Reply(200, "text/plain; charset=utf-8", body, Map.of());
        }

        static Reply noContent() {
            return new Reply(204, null, "", Map.of());
        }
    }

    /** A route handler. */
    @FunctionalInterface
    interface Action {
        Reply run(Call c) throws Exception;
    }

    /** One route: method, path template ({@code /v1/volumes/{volname}}), name and its request body type. */
    record Route(String method, String template, String name, Class<?> request, Class<?> response, Action action, Pattern pattern,
                 List<String> names) {
        static Route of(String method, String template, String name, Class<?> request, Class<?> response, Action action) {
            List<String> names = new ArrayList<>();
            Matcher m = Pattern.compile("\\{([a-z]+)}").matcher(template);
            StringBuilder re = new StringBuilder();
            int last = 0;
            while (m.find()) {
                re.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
                names.add(m.group(1));
                last = m.end();
            }
            re.append(Pattern.quote(template.substring(last)));
            return new Route(method, template, name, request, response, action, Pattern.compile(re.toString()), names);
        }
    }

    static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();

    private final GddSettings settings;
    private final Metrics metrics;
    private final List<Route> routes;
    private final Server server;
    private final ServerConnector connector;

    RestServer(Gdd gdd, GddSettings settings, Metrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.routes = new Routes(gdd, metrics).all();
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("gdd-rest");
        this.server = new Server(pool);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(settings.host());
        connector.setPort(settings.restPort());
        // cluster operations (peer add, volume start) can take longer than Jetty's default 30 s on a loaded machine
        connector.setIdleTimeout(java.time.Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        server.setErrorHandler(new ErrorHandler() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                int status = response.getStatus() >= 400 ? response.getStatus() : 400;
                Object msg = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
                RestServer.write(response, callback, new Reply(status, "application/json", error(ErrorCode.INVALID_ARGUMENT.number(),
                        "the request was refused by the HTTP layer (" + status + (msg == null ? "" : ": " + msg) + ")",
                        "send a well-formed HTTP request with a plain path"), Map.of()));
                return true;
            }
        });
    }

    List<Route> routes() {
        return routes;
    }

    void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot serve REST on " + settings.host() + ":" + settings.restPort() + ": " + e,
                    "choose a free --rest-port");
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    private void serve(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        String reqId = UUID.randomUUID().toString();
        MDC.put("reqid", reqId);
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        String routeName = "unmatched";
        Reply reply;
        try {
            Route route = null;
            Matcher match = null;
            boolean pathKnown = false;
            for (Route r : routes) {
                Matcher m = r.pattern().matcher(path);
                if (m.matches()) {
                    pathKnown = true;
                    if (r.method().equals(method)) {
                        route = r;
                        match = m;
                        break;
                    }
                }
            }
            if (route == null) {
                reply = pathKnown ? Reply.json(405, error(ErrorCode.INVALID_ARGUMENT.number(), method + " is not allowed on " + path,
                        "see /v1/openapi.json")) : Reply.json(404, error(ErrorCode.NOT_FOUND.number(), "no route " + method + " " + path,
                        "see /v1/openapi.json for the routes"));
            } else {
                routeName = route.name().replaceAll(" .*", "");
                Map<String, String> params = new java.util.LinkedHashMap<>();
                for (int i = 0; i < route.names().size(); i++) {
                    params.put(route.names().get(i), match.group(i + 1));
                }
                byte[] body = readBody(request);
                reply = route.action().run(new Call(method, path, params, request.getHttpURI().getQuery(), body, reqId));
            }
        } catch (GdException e) {
            reply = Reply.json(e.code().httpStatus(), write(ErrorResponse.of(e)));
        } catch (PayloadTooLarge e) {
            reply = Reply.json(413, error(ErrorCode.INVALID_ARGUMENT.number(), e.getMessage(),
                    "send at most " + settings.maxBodyBytes() + " bytes"));
        } catch (Exception e) {
            LOG.warn("{} {} failed", method, path, e);
            reply = Reply.json(500, error(ErrorCode.INTERNAL.number(), "internal error: " + e, "see the gdd log for reqid " + reqId));
        }
        Map<String, String> headers = new java.util.HashMap<>(reply.headers());
        headers.put("X-Request-Id", reqId);
        write(response, callback, new Reply(reply.status(), reply.contentType(), reply.body(), headers));
        long took = System.nanoTime() - t0;
        metrics.request(method, routeName, reply.status(), took);
        LOG.info("{} {} -> {} in {} ms", method, path, reply.status(), took / 1_000_000);
        MDC.remove("reqid");
    }

    private static void write(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        Content.Sink.write(response, true, reply.body(), callback);
    }

    /** A body over the limit. */
    static final class PayloadTooLarge extends Exception {
        PayloadTooLarge(String m) {
            super(m);
        }
    }

    private byte[] readBody(Request request) throws IOException, PayloadTooLarge {
        long declared = request.getLength();
        if (declared > settings.maxBodyBytes()) {
            throw new PayloadTooLarge("the request body is " + declared + " bytes; the limit is " + settings.maxBodyBytes());
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] b = in.readNBytes(settings.maxBodyBytes() + 1);
            if (b.length > settings.maxBodyBytes()) {
                throw new PayloadTooLarge("the request body is larger than the limit of " + settings.maxBodyBytes() + " bytes");
            }
            return b;
        }
    }

    // ------------------------------------------------------------------ JSON helpers for routes

    static String error(int code, String message, String remedy) {
        return write(new ErrorResponse(List.of(new ApiError(code, message, remedy.isEmpty() ? Map.of() : Map.of("remedy", remedy)))));
    }

    static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a request body strictly: well-formed JSON, an object, no field the type does not know
     * (at any depth of records and lists of records), then the type itself.
     */
    static <T> T read(Call c, Class<T> type) {
        if (!c.hasBody()) {
            throw GdException.invalid("the request has no body", "send a JSON " + type.getSimpleName());
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(c.body());
        } catch (IOException e) {
            throw GdException.invalid("malformed JSON: " + firstLine(e.getMessage()), "send a JSON " + type.getSimpleName());
        }
        if (tree == null || !tree.isObject()) {
            throw GdException.invalid("the request body is not a JSON object", "send a JSON " + type.getSimpleName());
        }
        checkFields(tree, type, "");
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw GdException.invalid("invalid " + type.getSimpleName() + ": " + firstLine(e.getOriginalMessage()),
                    "send a JSON " + type.getSimpleName() + " with fields of the right types");
        } catch (IllegalArgumentException e) {
            throw GdException.invalid("invalid " + type.getSimpleName() + ": " + firstLine(e.getMessage()), "check the request");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A record's JSON field names (with aliases) and their types, read by reflection once per class. */
    private static final ClassValue<Map<String, Type>> RECORD_FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Type> computeValue(Class<?> raw) {
            Map<String, Type> types = new java.util.HashMap<>();
            for (RecordComponent rc : raw.getRecordComponents()) {
                JsonProperty jp = rc.getAnnotation(JsonProperty.class);
                if (jp == null && rc.getAccessor().getAnnotation(JsonProperty.class) != null) {
                    jp = rc.getAccessor().getAnnotation(JsonProperty.class);
                }
                String name = jp != null && !jp.value().isEmpty() ? jp.value() : rc.getName();
                types.put(name, rc.getGenericType());
                JsonAlias alias = rc.getAnnotation(JsonAlias.class);
                if (alias != null) {
                    for (String a : alias.value()) {
                        types.put(a, rc.getGenericType());
                    }
                }
            }
            return Map.copyOf(types);
        }
    };

    private static void checkFields(JsonNode node, Type type, String where) {
        Class<?> raw = type instanceof Class<?> c ? c : (Class<?>) ((ParameterizedType) type).getRawType();
        if (node == null || node.isNull()) {
            return;
        }
        if (List.class.isAssignableFrom(raw) && type instanceof ParameterizedType p && node.isArray()) {
            int i = 0;
            for (JsonNode item : node) {
                checkFields(item, p.getActualTypeArguments()[0], where + "[" + i++ + "]");
            }
            return;
        }
        if (!raw.isRecord() || !node.isObject()) {
            return;
        }
        Map<String, Type> types = RECORD_FIELDS.get(raw);
        Set<String> known = types.keySet();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw GdException.invalid("unknown field '" + printable(f) + "'" + (where.isEmpty() ? "" : " in " + where)
                        + " of " + raw.getSimpleName(), "use only the fields " + new java.util.TreeSet<>(known));
            }
            checkFields(node.get(f), types.get(f), where.isEmpty() ? f : where + "." + f);
        }
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(Character.isISOControl(ch) ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
        }
        return sb.length() > 80 ? sb.substring(0, 80) + "..." : sb.toString();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("REST server stop: {}", e.toString());
        }
    }
}
