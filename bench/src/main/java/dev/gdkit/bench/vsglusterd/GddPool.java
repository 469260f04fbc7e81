package dev.gdkit.bench.vsglusterd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * N gdd processes (the reference daemon in examples/) on 127.1.1.1..N, each with its own work
 * directory, driven through their GlusterD2-style REST API: the way gdcli drives them, with an
 * HTTP client kept open per client thread.
 */
final class GddPool implements Pool {
    private static final Duration OP_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path base;
    private final Path jar;
    private final List<String> jvmFlags;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private Http1 admin;
    private final java.util.Map<Integer, Http1> checkers = new java.util.HashMap<>();
    private final Map<String, String> peerIds = new HashMap<>();
    private int nodes;

    GddPool(Path base, Path jar, List<String> jvmFlags, int restPort) {
        this.base = base;
        this.jar = jar;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.restPort = restPort;
    }

    @Override
    public String system() {
        return "gdd";
    }

    private Http1 http(int node) {
        return new Http1("127.1.1." + node, restPort, (int) OP_TIMEOUT.toMillis());
    }

    @Override
    public void startDaemons(int n) throws Exception {
        this.nodes = n;
        Procs.deleteTree(base);
        for (int i = 1; i <= n; i++) {
            Path wd = base.resolve("node" + i);
            Files.createDirectories(wd);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmFlags);
            cmd.addAll(List.of("-cp", jar.toString(), "dev.gdkit.examples.gdd.GddMain", "--listen", "127.1.1." + i,
                    "--workdir", wd.toString(), "--rest-port", Integer.toString(restPort),
                    "--peer-port", Integer.toString(restPort + 1), "--store-port", Integer.toString(restPort + 2)));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(base.resolve("gdd" + i + ".log").toFile());
            pb.environment().put("GD_LOG_LEVEL", "WARN");
            // as bin/gdd runs it: fewer glibc malloc arenas for a JVM's many threads
            pb.environment().put("MALLOC_ARENA_MAX", "2");
            processes.add(pb.start());
        }
        admin = http(1);
        for (int i = 1; i <= n; i++) {
            int node = i;
            Process p = processes.get(i - 1);
            Procs.await("gdd " + node + "'s REST API", Duration.ofMinutes(3), () -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("gdd " + node + " exited; see " + base.resolve("gdd" + node + ".log"));
                }
                try (Http1 probe = http(node)) {
                    return call(probe, "GET", "/v1/version", null) != null;
                } catch (IOException | OpFailed e) {
                    return false;
                }
            });
        }
    }

    @Override
    public void formPool() throws Exception {
        for (int i = 2; i <= nodes; i++) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("addresses").add("127.1.1." + i + ":" + restPort);
            call(admin, "POST", "/v1/peers", body);
        }
        Procs.await("every gdd peer in the pool and online", OP_TIMEOUT, () -> {
            try {
                JsonNode peers = call(admin, "GET", "/v1/peers", null);
                int online = 0;
                for (JsonNode p : peers) {
                    online += p.path("online").asBoolean() ? 1 : 0;
                }
                return online >= nodes;
            } catch (Exception e) {
                return false;
            }
        });
        for (JsonNode p : call(admin, "GET", "/v1/peers", null)) {
            peerIds.put(p.path("name").asText(), p.path("id").asText());
        }
    }

    @Override
    public void createVolume(String volume, List<String> brickDirs) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", volume).put("transport", "tcp").put("force", true);
        ObjectNode sv = body.putArray("subvols").addObject().put("type", "distribute");
        ArrayNode bricks = sv.putArray("bricks");
        for (int i = 1; i <= nodes; i++) {
            String id = peerIds.get("127.1.1." + i);
            if (id == null) {
                throw new IllegalStateException("no peer named 127.1.1." + i + " in " + peerIds);
            }
            bricks.addObject().put("peerid", id).put("path", brickDirs.get(i - 1));
        }
        body.putObject("flags").put("create-brick-dir", true);
        call(admin, "POST", "/v1/volumes", body);
    }

    @Override
    public void startVolume(String volume) throws Exception {
        call(admin, "POST", "/v1/volumes/" + volume + "/start", JSON.createObjectNode());
    }

    @Override
    public void stopVolume(String volume) throws Exception {
        call(admin, "POST", "/v1/volumes/" + volume + "/stop", null);
    }

    @Override
    public void deleteVolume(String volume) throws Exception {
        call(admin, "DELETE", "/v1/volumes/" + volume, null);
    }

    @Override
    public Client client(int node) {
        Http1 http = new Http1("127.1.1." + node, restPort, (int) OP_TIMEOUT.toMillis());
        return new Client() {
            @Override
            public void setOption(String volume, String key, String value) throws Exception {
                ObjectNode body = JSON.createObjectNode().put("allow-advanced-options", true);
                body.putObject("options").put(key, value);
                Http1.Response r = http.send("POST", "/v1/volumes/" + volume + "/options", JSON.writeValueAsString(body));
                if (r.status() / 100 != 2) {
                    throw new OpFailed("gdd volume set " + volume + ": HTTP " + r.status() + " " + r.body());
                }
            }

            @Override
            public void close() {
                http.close();
            }
        };
    }

    /** Sends one request; the parsed answer on 2xx, else {@link OpFailed} with gdd's error text. */
    private static JsonNode call(Http1 http, String method, String path, JsonNode body) throws IOException, OpFailed {
        Http1.Response r = http.send(method, path, body == null ? null : JSON.writeValueAsString(body));
        if (r.status() / 100 != 2) {
            throw new OpFailed("gdd " + method + " " + path + ": HTTP " + r.status() + " " + r.body());
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    @Override
    public List<String> volfileTexts(int node, String volume) throws Exception {
        // on disk: the graphs of the node's own processes (bricks, self-heal); the client graphs are
        // served from the store by every node's API: fetch those through this node
        Path dir = base.resolve("node" + node).resolve("vols").resolve(volume);
        List<String> out = Volfiles.readDir(dir);
        Http1 http = checkers.computeIfAbsent(node, this::http);
        JsonNode names = call(http, "GET", "/v1/volumes/" + volume + "/volfiles", null);
        for (JsonNode n : names) {
            if (!Files.exists(dir.resolve(n.asText()))) {
                Http1.Response r = http.send("GET", "/v1/volumes/" + volume + "/volfiles/" + n.asText(), null);
                if (r.status() != 200) {
                    throw new OpFailed("gdd GET volfile " + n.asText() + " of " + volume + " from node " + node + ": HTTP " + r.status() + " " + r.body());
                }
                out.add(r.body());
            }
        }
        return out;
    }

    @Override
    public List<Long> daemonPids() {
        return processes.stream().map(Process::pid).toList();
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        checkers.values().forEach(Http1::close);
        checkers.clear();
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        // bricks keep running when gdd stops (as with glusterd): stop them by their pid files
        try (var s = Files.walk(base)) {
            s.filter(p -> p.toString().endsWith(".pid")).forEach(f -> {
                try {
                    Procs.kill(Long.parseLong(Files.readString(f).strip()));
                } catch (IOException | NumberFormatException e) {
                    // not a pid
                }
            });
        } catch (IOException e) {
            // nothing started
        }
    }
}
