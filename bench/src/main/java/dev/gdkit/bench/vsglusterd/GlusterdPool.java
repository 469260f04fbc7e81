package dev.gdkit.bench.vsglusterd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N real glusterd (Debian's glusterfs-server) on 127.1.1.1..N, started the way the reference
 * scripts in shared/tools/glusterd-reference do (one working, run and log directory each, bound to
 * its own address, its own CLI socket). Operations go through gluster CLI processes kept open in
 * interactive mode, so a CLI's start-up is not counted in an operation's latency.
 */
final class GlusterdPool implements Pool {
    private static final Duration OP_TIMEOUT = Duration.ofMinutes(5);
    private final Path base;
    private final List<Long> pids = new ArrayList<>();
    private int nodes;
    private Cli admin;

    GlusterdPool(Path base) {
        this.base = base;
    }

    @Override
    public String system() {
        return "glusterd";
    }

    static String address(int node) {
        return "127.1.1." + node;
    }

    private Path socket(int node) {
        return base.resolve("run" + node).resolve("glusterd.socket");
    }

    @Override
    public void startDaemons(int n) throws Exception {
        this.nodes = n;
        Procs.deleteTree(base);
        Files.createDirectories(base.resolve("logs"));
        // all N at once, as gdd's are started (each glusterd command returns once its daemon runs)
        List<Process> starting = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path wd = base.resolve("wd" + i);
            Files.createDirectories(base.resolve("run" + i));
            Files.createDirectories(wd);
            Path groups = Path.of("/var/lib/glusterd/groups");
            if (Files.isDirectory(groups)) {
                Procs.run(Duration.ofSeconds(30), List.of("cp", "-r", groups.toString(), wd.resolve("groups").toString()));
            }
        }
        for (int i = 1; i <= n; i++) {
            Path wd = base.resolve("wd" + i);
            starting.add(new ProcessBuilder("glusterd", "--pid-file=" + base.resolve("glusterd_" + i + ".pid"),
                    "--xlator-option", "management.working-directory=" + wd,
                    "--xlator-option", "management.transport.socket.bind-address=" + address(i),
                    "--xlator-option", "management.run-directory=" + base.resolve("run" + i),
                    "--xlator-option", "management.glusterd-sockfile=" + socket(i),
                    "--xlator-option", "management.logging-directory=" + base.resolve("logs"),
                    "--log-file=" + base.resolve("logs").resolve("glusterd" + i + ".log"))
                    .redirectErrorStream(true).redirectOutput(base.resolve("logs").resolve("start" + i + ".out").toFile()).start());
        }
        for (int i = 0; i < n; i++) {
            Process p = starting.get(i);
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("glusterd " + (i + 1) + " did not start; see " + base.resolve("logs"));
            }
        }
        for (int i = 1; i <= n; i++) {
            int node = i;
            Procs.await("glusterd " + node + "'s socket", Duration.ofSeconds(30), () -> Files.exists(socket(node)));
            Path pid = base.resolve("glusterd_" + i + ".pid");
            Procs.await("glusterd " + node + "'s pid file", Duration.ofSeconds(30), () -> readPid(pid) > 0);
            pids.add(readPid(pid));
        }
        admin = new Cli(socket(1));
    }

    private static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void formPool() throws Exception {
        for (int i = 2; i <= nodes; i++) {
            admin.exec("peer probe " + address(i), "peer probe:");
        }
        Procs.await("every glusterd peer in the pool and connected", OP_TIMEOUT, () -> {
            try {
                String s = Procs.run(Duration.ofSeconds(60), List.of("gluster", "--mode=script", "--glusterd-sock=" + socket(1), "peer", "status"));
                return s.split("Peer in Cluster \\(Connected\\)", -1).length - 1 >= nodes - 1;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
    }

    @Override
    public void createVolume(String volume, List<String> brickDirs) throws Exception {
        StringBuilder cmd = new StringBuilder("volume create " + volume);
        for (int i = 1; i <= nodes; i++) {
            cmd.append(' ').append(address(i)).append(':').append(brickDirs.get(i - 1));
        }
        admin.exec(cmd.append(" force").toString(), "volume create:");
    }

    @Override
    public void startVolume(String volume) throws Exception {
        admin.exec("volume start " + volume, "volume start:");
    }

    @Override
    public void stopVolume(String volume) throws Exception {
        admin.exec("volume stop " + volume, "volume stop:");
    }

    @Override
    public void deleteVolume(String volume) throws Exception {
        admin.exec("volume delete " + volume, "volume delete:");
    }

    @Override
    public Client client(int node) throws IOException {
        Cli cli = new Cli(socket(node));
        return new Client() {
            @Override
            public void setOption(String volume, String key, String value) throws Exception {
                cli.exec("volume set " + volume + " " + key + " " + value, "volume set:");
            }

            @Override
            public void close() {
                cli.close();
            }
        };
    }

    @Override
    public List<String> volfileTexts(int node, String volume) throws IOException {
        // glusterd keeps every graph of the volume on every node's disk and serves clients from there
        return Volfiles.readDir(base.resolve("wd" + node).resolve("vols").resolve(volume));
    }

    @Override
    public List<Long> daemonPids() {
        return List.copyOf(pids);
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        // bricks and self-heal daemons these glusterds started, then the glusterds: by their pid files only
        List<Path> pidFiles = new ArrayList<>();
        try (var s = Files.walk(base)) {
            s.filter(p -> p.toString().endsWith(".pid")).forEach(pidFiles::add);
        } catch (IOException e) {
            // nothing started
        }
        pidFiles.sort((a, b) -> Boolean.compare(a.getFileName().toString().startsWith("glusterd_"),
                b.getFileName().toString().startsWith("glusterd_")));
        for (Path f : pidFiles) {
            long pid = readPid(f);
            if (pid > 0) {
                Procs.kill(pid);
            }
        }
        pids.clear();
    }

    /** One gluster CLI process in interactive mode; a command's answer is the first line starting with its prefix. */
    private static final class Cli implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        Cli(Path socket) throws IOException {
            // stdbuf: the CLI's stdout is a pipe here, line buffering gives each answer as it comes
            process = new ProcessBuilder("stdbuf", "-oL", "gluster", "--mode=script", "--wignore", "--glusterd-sock=" + socket)
                    .redirectErrorStream(true).start();
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        synchronized void exec(String command, String answerPrefix) throws IOException, OpFailed {
            in.write(command + "\n");
            in.flush();
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                String l = line.replace("gluster> ", "").strip();
                seen.append(l).append('\n');
                if (l.startsWith(answerPrefix)) {
                    if (l.startsWith(answerPrefix + " success") || l.contains(": success")) {
                        return;
                    }
                    throw new OpFailed("glusterd: " + l);
                }
            }
            throw new IOException("the gluster CLI ended while running '" + command + "': " + seen);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
