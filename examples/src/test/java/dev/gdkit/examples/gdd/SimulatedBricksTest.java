package dev.gdkit.examples.gdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gdd with simulated bricks (the demo's fallback without GlusterFS): start runs a supervised brick
 * process per brick on its allocated port, status shows it, a killed one comes back, stop leaves
 * none. Needs root only for the brick's trusted.* volume-id attribute.
 */
class SimulatedBricksTest {
    @TempDir
    Path dir;
    private Gdd gdd;

    @AfterEach
    void stop() {
        if (gdd != null) {
            gdd.closeAndStopDaemons();
        }
        String mine = dir.toString();
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(mine)).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void simulatedBrickIsSupervisedAndStopped() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: bricks need trusted.* extended attributes");
        gdd = new Gdd(GddSettings.builder("127.0.0.1", dir.resolve("node")).restPort(0).peerPort(0).storePort(0).quorumPort(0).electionPort(0)
                .simulateBricks(true).build()).start();
        Http http = new Http("127.0.0.1", gdd.restPort());
        String brick = dir.resolve("bricks/b1").toString();
        Http.Resp created = http.post("/v1/volumes", "{\"name\":\"sim\",\"subvols\":[{\"type\":\"distribute\",\"bricks\":[{\"peerid\":\""
                + gdd.id().value() + "\",\"path\":\"" + brick + "\"}]}],\"flags\":{\"create-brick-dir\":true,\"allow-root-dir\":true}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Resp started = http.post("/v1/volumes/sim/start", null);
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        JsonNode b = http.get("/v1/volumes/sim/bricks").json().get(0);
        assertThat(b.path("online").asBoolean()).as(b.toString()).isTrue();
        long pid = b.path("pid").asLong();
        assertThat(ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse("")).contains("SimulatedBrick");

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + 10_000_000_000L;
        long now = -1;
        while (System.nanoTime() < deadline) {
            JsonNode s = http.get("/v1/volumes/sim/bricks").json().get(0);
            if (s.path("online").asBoolean() && s.path("pid").asLong() != pid) {
                now = s.path("pid").asLong();
                break;
            }
            Thread.sleep(100);
        }
        assertThat(now).as("restarted brick pid").isPositive();

        // a brick added to the started volume gets a port and a process too
        Http.Resp expanded = http.post("/v1/volumes/sim/expand", "{\"bricks\":[{\"peerid\":\"" + gdd.id().value() + "\",\"path\":\""
                + dir.resolve("bricks/b2") + "\"}],\"flags\":{\"create-brick-dir\":true,\"allow-root-dir\":true}}");
        assertThat(expanded.status()).as(expanded.body()).isEqualTo(200);
        long until = System.nanoTime() + 10_000_000_000L;
        boolean bothOnline = false;
        while (!bothOnline && System.nanoTime() < until) {
            JsonNode all = http.get("/v1/volumes/sim/bricks").json();
            bothOnline = all.size() == 2 && all.get(0).path("online").asBoolean() && all.get(1).path("online").asBoolean()
                    && all.get(0).path("port").asInt() != all.get(1).path("port").asInt();
            Thread.sleep(100);
        }
        assertThat(bothOnline).as(http.get("/v1/volumes/sim/bricks").body()).isTrue();
        long second = http.get("/v1/volumes/sim/bricks").json().get(1).path("pid").asLong();

        assertThat(http.post("/v1/volumes/sim/stop", null).status()).isEqualTo(200);
        assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(now).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        for (JsonNode x : http.get("/v1/volumes/sim/bricks").json()) {
            assertThat(x.path("online").asBoolean()).isFalse();
        }
        assertThat(http.delete("/v1/volumes/sim", null).status()).isEqualTo(204);
        assertThat(http.get("/v1/volumes").json().size()).isZero();
        List<String> left = ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                .filter(c -> c.contains(dir.toString())).toList();
        assertThat(left).isEmpty();
        assertThat(Files.exists(dir.resolve("node/run"))).isTrue();
    }
}
