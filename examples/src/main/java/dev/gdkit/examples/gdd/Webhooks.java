package dev.gdkit.examples.gdd;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.event.Hook;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.store.Versioned;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GlusterD2's webhooks: registered in the cluster store ({@code gdd/webhooks/<sha>}), and every node
 * POSTs the events it originates to each of them as {@code {id, name, data, origin, timestamp}}. With
 * a token, the request carries {@code Authorization: Bearer <token>}; with a secret, an
 * {@code X-Gluster-Signature} header holds the HMAC-SHA256 of the body.
 */
final class Webhooks implements Hook, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    static final String KEY = "gdd/webhooks";

    /** GD2's webhook registration. */
    record Webhook(@JsonProperty("url") String url, @JsonProperty("token") String token, @JsonProperty("secret") String secret) {
    }

    private final NodeId self;
    /** How long a read of the registrations serves events (a hook added on another node fires within it). */
    static final Duration REREAD = Duration.ofSeconds(2);
    private volatile Known known;
    private final Supplier<Gdd.Runtime> runtime;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    Webhooks(NodeId self, Supplier<Gdd.Runtime> runtime) {
        this.self = self;
        this.runtime = runtime;
    }

    static String id(String url) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(Webhook w) {
        URI u;
        try {
            u = URI.create(w.url());
        } catch (IllegalArgumentException e) {
            throw GdException.invalid("webhook url '" + w.url() + "' is not a URL", "give http://host:port/path");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            throw GdException.invalid("webhook url '" + w.url() + "' is not an http(s) URL", "give http://host:port/path");
        }
        runtime.get().store().put(KEY + "/" + id(w.url()), Json.write(w));
        known = null;
    }

    void remove(String url) {
        String key = KEY + "/" + id(url);
        if (runtime.get().store().get(key).isEmpty()) {
            throw new GdException(ErrorCode.NOT_FOUND, "no webhook " + url, "list the webhooks");
        }
        runtime.get().store().deleteTree(key);
        known = null;
    }

    /** The registrations read at most {@link #REREAD} ago (this node's own changes at once): no store read per event. */
    private List<Webhook> recent() {
        Known k = known;
        if (k == null || System.nanoTime() - k.readAt() > REREAD.toNanos()) {
            k = new Known(System.nanoTime(), list());
            known = k;
        }
        return k.hooks();
    }

    private record Known(long readAt, List<Webhook> hooks) {
    }

    List<Webhook> list() {
        return runtime.get().store().children(KEY).stream().map(Versioned::value).map(v -> Json.read(v, Webhook.class)).toList();
    }

    @Override
    public Set<String> events() {
        return Set.of();
    }

    @Override
    public void onEvent(Event e) throws Exception {
        if (!e.origin().equals(self)) {
            return;
        }
        List<Webhook> hooks;
        try {
            hooks = recent();
        } catch (RuntimeException ex) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", e.id());
        body.put("name", e.name());
        body.put("data", e.data());
        body.put("origin", e.origin().value());
        body.put("timestamp", e.timestamp().toString());
        String json = new String(Json.write(body), StandardCharsets.UTF_8);
        for (Webhook w : hooks) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(w.url())).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            if (w.token() != null && !w.token().isEmpty()) {
                rb.header("Authorization", "Bearer " + w.token());
            }
            if (w.secret() != null && !w.secret().isEmpty()) {
                rb.header("X-Gluster-Signature", hmac(w.secret(), json));
            }
            http.sendAsync(rb.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, ex) -> {
                if (ex != null) {
                    LOG.warn("webhook {} failed for event {}: {}", w.url(), e.name(), ex.toString());
                }
            });
        }
    }

    private static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close before Java 21; its threads are daemons
    }
}
