package dev.gdkit.examples.gdd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gdkit.examples.gdcli.GdCliAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through REST and gdcli: each gets a 4xx in GlusterD2's error format (or a usage exit
 * code) and changes nothing. One gdd on 127.0.0.1 with kernel-chosen ports; no GlusterFS needed.
 */
class RestBadInputTest {
    @TempDir
    static Path dir;
    static Gdd gdd;
    static Http http;
    static String peerId;

    @BeforeAll
    static void start() {
        gdd = new Gdd(GddSettings.builder("127.0.0.1", dir.resolve("node")).restPort(0).peerPort(0).storePort(0).quorumPort(0).electionPort(0)
                .maxBodyBytes(64 * 1024).glusterfsd("/nonexistent/glusterfsd").build()).start();
        http = new Http("127.0.0.1", gdd.restPort());
        peerId = gdd.id().value();
    }

    @AfterAll
    static void stop() {
        if (gdd != null) {
            gdd.closeAndStopDaemons();
        }
    }

    private static void assertGd2Error(Http.Resp r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode e = r.json().path("errors");
        assertThat(e.isArray()).as(r.body()).isTrue();
        assertThat(e.size()).isGreaterThan(0);
        assertThat(e.get(0).path("code").isInt()).isTrue();
        assertThat(e.get(0).path("message").asText()).isNotEmpty();
    }

    private static void assertNothingChanged() throws Exception {
        assertThat(http.get("/v1/volumes").json().size()).isZero();
        Path vols = dir.resolve("node/vols");
        if (Files.exists(vols)) {
            try (Stream<Path> s = Files.list(vols)) {
                assertThat(s.toList()).isEmpty();
            }
        }
        assertThat(dir.resolve("bricks")).doesNotExist();
    }

    private static String create(String name, String path, String extra) {
        return "{\"name\":\"" + name + "\",\"subvols\":[{\"type\":\"distribute\",\"bricks\":[{\"peerid\":\"" + peerId
                + "\",\"path\":\"" + path + "\"}]}],\"flags\":{\"create-brick-dir\":true}" + extra + "}";
    }

    @Test
    void malformedJson() throws Exception {
        assertGd2Error(http.post("/v1/volumes", "{\"name\": \"v1\", "), 400);
        assertGd2Error(http.post("/v1/volumes", "[1,2]"), 400);
        assertGd2Error(http.post("/v1/peers", "not json"), 400);
        assertGd2Error(http.post("/v1/volumes", ""), 400);
        assertNothingChanged();
    }

    @Test
    void unknownFields() throws Exception {
        String brick = dir.resolve("bricks/b1").toString();
        assertGd2Error(http.post("/v1/volumes", create("v1", brick, ",\"colour\":\"red\"")), 400);
        String nested = "{\"name\":\"v1\",\"subvols\":[{\"type\":\"distribute\",\"bricks\":[{\"peerid\":\"" + peerId
                + "\",\"path\":\"" + brick + "\",\"size\":1}]}]}";
        Http.Resp r = http.post("/v1/volumes", nested);
        assertGd2Error(r, 400);
        assertThat(r.body()).contains("size");
        assertGd2Error(http.post("/v1/volumes", create("v1", brick, ",\"flags\":{\"create-brick-dir\":true,\"yolo\":true}")
                .replace("\"flags\":{\"create-brick-dir\":true},", "")), 400);
        assertGd2Error(http.post("/v1/peers", "{\"addresses\":[\"127.0.0.9\"],\"extra\":1}"), 400);
        assertNothingChanged();
    }

    @Test
    void oversizedBody() throws Exception {
        String big = create("v1", dir.resolve("bricks/b1").toString(), ",\"metadata\":{\"k\":\"" + "x".repeat(100_000) + "\"}");
        assertGd2Error(http.post("/v1/volumes", big), 413);
        assertNothingChanged();
    }

    @Test
    void pathTraversalInNamesAndBrickPaths() throws Exception {
        assertGd2Error(http.post("/v1/volumes", create("../etc", dir.resolve("bricks/b1").toString(), "")), 400);
        assertGd2Error(http.post("/v1/volumes", create("v1", dir.resolve("bricks") + "/../../etc/b1", "")), 400);
        assertGd2Error(http.post("/v1/volumes", create("v1", "relative/b1", "")), 400);
        Http.Resp r = http.get("/v1/volumes/..%2F..%2Fetc");
        assertThat(r.status()).isBetween(400, 499);
        assertThat(r.json().path("errors").isArray()).as(r.body()).isTrue();
        r = http.get("/v1/volumes/%2e%2e/status");
        assertThat(r.status()).isBetween(400, 499);
        assertThat(r.json().path("errors").isArray()).as(r.body()).isTrue();
        assertGd2Error(http.get("/v1/volumes/a.b/status"), 400);
        assertNothingChanged();
    }

    @Test
    void optionValuesWithNewlines() throws Exception {
        String brick = dir.resolve("bricks/b1").toString();
        assertGd2Error(http.post("/v1/volumes", create("v1", brick, ",\"options\":{\"performance.cache-size\":\"32MB\\nend-volume\"}")),
                400);
        assertGd2Error(http.post("/v1/volumes", create("v1", brick, ",\"options\":{\"bad\\nkey\":\"on\"}")), 400);
        assertGd2Error(http.post("/v1/volumes/v1/options", "{\"options\":{\"performance.cache-size\":\"1\\n2\"}}"), 400);
        assertNothingChanged();
    }

    @Test
    void unknownRoutesAndVolumesInGd2Format() {
        assertGd2Error(http.get("/v1/nothing"), 404);
        assertGd2Error(http.get("/v1/volumes/missing"), 404);
        assertGd2Error(http.send("PUT", "/v1/volumes", "{}"), 405);
    }

    @Test
    void openApiListsTheRoutes() {
        Http.Resp r = http.get("/v1/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode paths = r.json().path("paths");
        assertThat(paths.has("/v1/volumes")).isTrue();
        assertThat(paths.path("/v1/volumes").has("post")).isTrue();
        assertThat(paths.has("/v1/volumes/{volname}/volfiles/client")).isTrue();
        assertThat(r.json().path("components").path("schemas").has("VolCreateRequest")).isTrue();
    }

    @Test
    void versionPeersClusterOptionsAndMetrics() {
        assertThat(http.get("/v1/version").json().path("api-version").asText()).isEqualTo("1");
        JsonNode peers = http.get("/v1/peers").json();
        assertThat(peers.size()).isEqualTo(1);
        assertThat(peers.get(0).path("id").asText()).isEqualTo(peerId);
        assertThat(peers.get(0).path("online").asBoolean()).isTrue();
        assertThat(http.get("/v1/cluster/options").json().get(0).path("key").asText()).isEqualTo("cluster.op-version");
        String m = http.get("/metrics").body();
        assertThat(m).contains("# TYPE gdd_http_request_duration_seconds histogram").contains("gdd_peers_up 1")
                .contains("gdd_bricks_online 0");
    }

    @Test
    void cliBadInputGivesUsableExitCodes() throws Exception {
        String host = "127.0.0.1:" + gdd.restPort();
        assertThat(cli("--host", host, "volume", "frobnicate", "x").exit()).isEqualTo(2);
        assertThat(cli("--host", host, "volume", "create", "v1", "replica", "x", "127.0.0.1:/b").exit()).isEqualTo(2);
        assertThat(cli("--host", host, "volume", "create", "v1", "replica", "3", "127.0.0.1:/b1", "127.0.0.1:/b2").exit()).isEqualTo(2);
        GdCliAccess.Result r = cli("--host", host, "volume", "set", "v1", "performance.cache-size", "1\n2");
        assertThat(r.exit()).isIn(1, 4);
        assertThat(r.err()).contains("volume set");
        assertThat(cli("--host", host, "volume", "info", "missing").exit()).isEqualTo(4);
        assertThat(cli("--host", host, "volume", "create", "../x", "127.0.0.1:" + dir.resolve("bricks/b1")).exit()).isEqualTo(1);
        assertThat(cli("--host", host, "volume", "create", "v1", "127.0.0.1:" + dir.resolve("bricks") + "/../b1").exit()).isEqualTo(1);
        assertThat(cli("--host", "127.0.0.1:1", "volume", "list").exit()).isEqualTo(3);
        assertNothingChanged();
    }

    private static GdCliAccess.Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GdCliAccess.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new GdCliAccess.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
