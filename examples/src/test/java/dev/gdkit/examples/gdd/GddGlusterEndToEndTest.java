package dev.gdkit.examples.gdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gdkit.examples.gdcli.GdCliAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's acceptance test with the real GlusterFS data plane: three gdd instances (separate work
 * directories, one JVM) on 127.1.1.1-3; peer add and a replica-3 volume through gdcli; start; mount
 * the client volfile with the FUSE client; a file written through the mount lands on all three
 * bricks; a killed glusterfsd is restarted and online again within 10 s; stop and delete leave no
 * GlusterFS process. Skips (saying why) without glusterfsd, FUSE or root. Everything it started is
 * stopped and unmounted even when it fails.
 */
class GddGlusterEndToEndTest {
    private static final String GLUSTERFSD = "/usr/sbin/glusterfsd";
    private static final String GLUSTERFS = "/usr/sbin/glusterfs";

    @TempDir
    Path dir;
    private final List<Gdd> nodes = new ArrayList<>();
    private Path mount;
    private boolean mounted;

    @BeforeEach
    void preconditions() {
        assumeTrue(Files.isExecutable(Path.of(GLUSTERFSD)) && Files.isExecutable(Path.of(GLUSTERFS)),
                "GlusterFS is not installed (apt-get install glusterfs-server): skipping the real data-plane test");
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: glusterfsd bricks and FUSE mounts need root");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse: the FUSE client cannot mount");
        for (int i = 1; i <= 3; i++) {
            assumeTrue(bindable("127.1.1." + i), "cannot bind 127.1.1." + i + " (loopback /8 not routed here)");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (mount != null && mounted) {
            run(List.of("umount", "-l", mount.toString()), Duration.ofSeconds(20));
        }
        GddTesting.stopAll(nodes, dir);
    }

    @Test
    void threeNodesRealBricksMountKillStopDelete() throws Exception {
        for (int i = 1; i <= 3; i++) {
            nodes.add(new Gdd(GddSettings.builder("127.1.1." + i, dir.resolve("node" + i)).restPort(0).peerPort(0).storePort(0)
                    .quorumPort(0).electionPort(0).glusterfsd(GLUSTERFSD).glusterfs(GLUSTERFS).build()).start());
        }
        String host1 = "127.1.1.1:" + nodes.get(0).restPort();
        assertThat(cli("--host", host1, "peer", "add", "127.1.1.2:" + nodes.get(1).restPort()).exit()).isZero();
        assertThat(cli("--host", host1, "peer", "add", "127.1.1.3:" + nodes.get(2).restPort()).exit()).isZero();
        Http h3 = new Http("127.1.1.3", nodes.get(2).restPort());
        assertThat(h3.get("/v1/peers").json().size()).isEqualTo(3);
        // the joiners got certificates signed by the pool's CA (mutual TLS between nodes)
        for (int i = 2; i <= 3; i++) {
            assertThat(dir.resolve("node" + i + "/tls/node.crt")).exists();
            assertThat(Files.readString(dir.resolve("node" + i + "/tls/ca.crt"))).isEqualTo(Files.readString(dir.resolve("node1/tls/ca.crt")));
        }

        // the three nodes share this machine's file system: create the common parent once, or their brick
        // preparations race creating it (on separate machines each has its own)
        Files.createDirectories(dir.resolve("bricks"));
        List<Path> bricks = List.of(dir.resolve("bricks/b1"), dir.resolve("bricks/b2"), dir.resolve("bricks/b3"));
        GdCliAccess.Result created = cli("--host", host1, "volume", "create", "rep3", "replica", "3", "127.1.1.1:" + bricks.get(0),
                "127.1.1.2:" + bricks.get(1), "127.1.1.3:" + bricks.get(2), "force");
        assertThat(created.exit()).as(created.err()).isZero();
        GdCliAccess.Result started = cli("--host", host1, "volume", "start", "rep3");
        assertThat(started.exit()).as(started.err()).isZero();

        Http h2 = new Http("127.1.1.2", nodes.get(1).restPort());
        JsonNode status = h2.get("/v1/volumes/rep3/status").json();
        assertThat(status.path("online").asBoolean()).as(status.toString()).isTrue();
        for (JsonNode b : status.path("bricks")) {
            assertThat(b.path("online").asBoolean()).as(b.toString()).isTrue();
            assertThat(b.path("pid").asLong()).isPositive();
            assertThat(b.path("port").asInt()).isPositive();
        }

        Http.Resp volfile = h2.get("/v1/volumes/rep3/volfiles/client");
        assertThat(volfile.status()).isEqualTo(200);
        assertThat(volfile.body()).contains("remote-port").contains("remote-host 127.1.1.3");
        Path vf = dir.resolve("rep3.vol");
        Files.writeString(vf, volfile.body());
        mount = Files.createDirectories(dir.resolve("mnt"));
        mounted = true;
        int rc = run(List.of(GLUSTERFS, "-f", vf.toString(), "--log-file=" + dir.resolve("mount.log"), mount.toString()),
                Duration.ofSeconds(30));
        assertThat(rc).as("glusterfs mount exit code, see " + dir.resolve("mount.log")).isZero();
        await(Duration.ofSeconds(20), () -> Files.readString(Path.of("/proc/mounts")).contains(mount.toString()));
        Path file = mount.resolve("hello.txt");
        await(Duration.ofSeconds(20), () -> {
            Files.writeString(file, "written through the FUSE client\n");
            return true;
        });
        for (Path b : bricks) {
            await(Duration.ofSeconds(10), () -> Files.exists(b.resolve("hello.txt"))
                    && Files.readString(b.resolve("hello.txt")).equals("written through the FUSE client\n"));
        }

        JsonNode victim = status.path("bricks").get(1);
        long pid = victim.path("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        String brickId = victim.path("info").path("id").asText();
        await(Duration.ofSeconds(10), () -> {
            for (JsonNode b : h2.get("/v1/volumes/rep3/bricks").json()) {
                if (b.path("info").path("id").asText().equals(brickId)) {
                    return b.path("online").asBoolean() && b.path("pid").asLong() != pid && b.path("pid").asLong() > 0
                            && listening("127.1.1.2", b.path("port").asInt());
                }
            }
            return false;
        });
        JsonNode events = h2.get("/v1/events").json();
        assertThat(events.toString()).contains("brick-died").contains("brick-started");

        // node 2 goes down and comes back: its brick kept serving and is adopted, not restarted
        long before = brickPid(h2, brickId);
        nodes.get(1).close();
        Gdd again = new Gdd(GddSettings.builder("127.1.1.2", dir.resolve("node2")).restPort(0).peerPort(0).storePort(0)
                .quorumPort(0).electionPort(0)
                .glusterfsd(GLUSTERFSD).glusterfs(GLUSTERFS).build()).start();
        nodes.set(1, again);
        Http h2again = new Http("127.1.1.2", again.restPort());
        await(Duration.ofSeconds(20), () -> again.supervisor().statuses().stream().anyMatch(d -> d.name().contains(brickId)
                && d.online() && d.pid().orElse(-1) == before));
        assertThat(brickPid(h2again, brickId)).isEqualTo(before);
        assertThat(Files.readString(file)).isEqualTo("written through the FUSE client\n");

        run(List.of("umount", "-l", mount.toString()), Duration.ofSeconds(20));
        mounted = false;
        GdCliAccess.Result stopped = cli("--host", host1, "volume", "stop", "rep3");
        assertThat(stopped.exit()).as(stopped.err()).isZero();
        assertThat(glusterProcesses()).isEmpty();
        assertThat(cli("--host", host1, "volume", "delete", "rep3").exit()).isZero();
        assertThat(glusterProcesses()).isEmpty();
        assertThat(cli("--host", host1, "volume", "info", "rep3").exit()).isEqualTo(4);
    }

    private static long brickPid(Http h, String brickId) {
        for (JsonNode b : h.get("/v1/volumes/rep3/bricks").json()) {
            if (b.path("info").path("id").asText().equals(brickId) && b.path("online").asBoolean()) {
                return b.path("pid").asLong();
            }
        }
        return -1;
    }

    private List<String> glusterProcesses() {
        String mine = dir.toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).map(h -> h.info().commandLine().orElse(""))
                .filter(c -> c.contains(mine) && c.contains("gluster")).toList();
    }

    private static boolean bindable(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A condition that may throw; false or an exception means "not yet". */
    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Duration limit, Check c) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (c.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + limit.toSeconds() + " s" + (last == null ? "" : ": " + last), last);
    }

    private static int run(List<String> cmd, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static GdCliAccess.Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GdCliAccess.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new GdCliAccess.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
