package dev.gdkit.bench.vsglusterd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.bench.vsglusterd.Result.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side driver's arguments, its volfile check and its report, without starting either system. */
class VsGlusterdTest {
    @TempDir
    Path tmp;

    @Test
    void argumentsAreReadAndBadOnesAreRefusedByName() {
        VsGlusterd.Config c = VsGlusterd.parse(new String[] {"--nodes", "3,12", "--sets", "20", "--systems", "gdd"});
        assertThat(c.sizes()).containsExactly(3, 12);
        assertThat(c.sets()).isEqualTo(20);
        assertThat(c.systems()).containsExactly("gdd");
        assertThatThrownBy(() -> VsGlusterd.parse(new String[] {"--nodes", "3,x"})).hasMessageContaining("--nodes needs a positive whole number, got 'x'");
        assertThatThrownBy(() -> VsGlusterd.parse(new String[] {"--sets", "0"})).hasMessageContaining("--sets needs a positive");
        assertThatThrownBy(() -> VsGlusterd.parse(new String[] {"--systems", "glusterd,etcd"})).hasMessageContaining("got 'etcd'");
        assertThatThrownBy(() -> VsGlusterd.parse(new String[] {"--nodes", "300"})).hasMessageContaining("at most 254");
        assertThatThrownBy(() -> VsGlusterd.parse(new String[] {"--colour", "red"})).hasMessageContaining("unknown option '--colour'");
        assertThatThrownBy(() -> VsGlusterd.parse(new String[] {"--sets"})).hasMessageContaining("'--sets' needs a value");
    }

    @Test
    void aNodeHasTheValueOnlyWhenEveryVolfileCarryingTheOptionHasIt() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("vols/v"));
        assertThat(Volfiles.carryOnly(Volfiles.readDir(d), "ping-timeout", "42")).as("no file yet").isFalse();
        Files.writeString(d.resolve("v.tcp-fuse.vol"), "volume v-client-0\n    option ping-timeout 42\nend-volume\n");
        Files.writeString(d.resolve("v.brick.vol"), "volume v-posix\n    option directory /b\nend-volume\n");
        assertThat(Volfiles.carryOnly(Volfiles.readDir(d), "ping-timeout", "42")).isTrue();
        Files.writeString(d.resolve("trusted-v.tcp-fuse.vol"), "volume v-client-0\n    option ping-timeout 41\nend-volume\n");
        assertThat(Volfiles.carryOnly(Volfiles.readDir(d), "ping-timeout", "42")).as("one file still has the old value").isFalse();
        assertThat(Volfiles.carryOnly(Volfiles.readDir(tmp.resolve("missing")), "ping-timeout", "42")).isFalse();
    }

    @Test
    void theReportGivesRatiosInTheDirectionThatIsBetterAndWritesCsvAndChart() throws Exception {
        List<Result> r = List.of(new Result("glusterd", 3, Metric.SET_P50_MS, 50), new Result("gdd", 3, Metric.SET_P50_MS, 5),
                new Result("glusterd", 3, Metric.CONCURRENT_OPS_S, 20), new Result("gdd", 3, Metric.CONCURRENT_OPS_S, 500),
                new Result("glusterd", 12, Metric.SET_P50_MS, 400), new Result("gdd", 12, Metric.SET_P50_MS, 8),
                new Result("glusterd", 12, Metric.SET_P99_MS, 600), new Result("gdd", 12, Metric.SET_P99_MS, 20));
        String table = Report.table(r, List.of("glusterd", "gdd"));
        assertThat(table).contains("10.0x").contains("25.0x").contains("50.0x");
        Report.writeCsv(r, tmp.resolve("r.csv"));
        assertThat(Files.readAllLines(tmp.resolve("r.csv"))).first().isEqualTo("system,nodes,metric,unit,value");
        assertThat(Files.readString(tmp.resolve("r.csv"))).contains("gdd,12,set_p50_ms,ms,8.000000");
        System.setProperty("java.awt.headless", "true");
        org.junit.jupiter.api.Assumptions.assumeTrue(fontsAvailable(),
                "no fonts for Java2D here (install fontconfig and fonts-dejavu-core; .ci/run does): chart not drawn");
        Report.chart(r, tmp.resolve("r.png"));
        byte[] png = Files.readAllBytes(tmp.resolve("r.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void theHttpClientReadsLengthAndChunkedAnswersOnOneConnectionAndReconnects() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", x -> {
            byte[] in = x.getRequestBody().readAllBytes();
            byte[] out = (x.getRequestMethod() + " " + x.getRequestURI() + " " + new String(in, java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            boolean chunked = x.getRequestURI().getPath().equals("/chunked");
            if (x.getRequestURI().getPath().equals("/empty")) {
                x.sendResponseHeaders(204, -1);
                x.close();
                calls.incrementAndGet();
                return;
            }
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/missing") ? 404 : 200, chunked ? 0 : out.length);
            x.getResponseBody().write(out);
            x.close();
            calls.incrementAndGet();
        });
        server.start();
        try (Http1 http = new Http1("127.0.0.1", server.getAddress().getPort(), 5000)) {
            assertThat(http.send("POST", "/a", "{\"x\":1}")).isEqualTo(new Http1.Response(200, "POST /a {\"x\":1}"));
            assertThat(http.send("GET", "/chunked", null)).isEqualTo(new Http1.Response(200, "GET /chunked "));
            assertThat(http.send("GET", "/missing", null).status()).isEqualTo(404);
            assertThat(http.send("DELETE", "/empty", null)).isEqualTo(new Http1.Response(204, ""));
            http.close();
            assertThat(http.send("DELETE", "/b", null).body()).isEqualTo("DELETE /b ");
        } finally {
            server.stop(0);
        }
        assertThat(calls.get()).isEqualTo(5);
        try (Http1 nobody = new Http1("127.0.0.1", server.getAddress().getPort(), 1000)) {
            assertThatThrownBy(() -> nobody.send("GET", "/", null)).isInstanceOf(java.io.IOException.class);
        }
    }

    private static boolean fontsAvailable() {
        try {
            return java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0;
        } catch (Throwable e) {
            return false;
        }
    }

    @Test
    void percentilesUseTheNearestRank() {
        Sample s = Sample.of(List.of(5_000_000L, 1_000_000L, 3_000_000L, 2_000_000L, 4_000_000L));
        assertThat(s.quantileMs(0.5)).isEqualTo(3.0);
        assertThat(s.quantileMs(0.99)).isEqualTo(5.0);
        assertThat(Sample.of(List.of()).quantileMs(0.5)).isNaN();
    }
}
