package dev.gdkit.examples.gdd;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.concurrent.NamedThreads;
import dev.gdkit.core.daemon.DaemonListener;
import dev.gdkit.core.daemon.DaemonSpec;
import dev.gdkit.core.daemon.DaemonStatus;
import dev.gdkit.core.daemon.Supervisor;
import dev.gdkit.core.event.EventSink;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.volume.VolumeDaemons;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this node's GlusterFS processes through the {@link Supervisor}: a glusterfsd per local brick
 * (the brick volfile gd-volgen wrote, a port this class allocates and records in the store, pid and
 * log files under the work directory) and a self-heal daemon per replicate or disperse volume with
 * local bricks. The volume service calls it inside its start, stop and volfile steps; a reconciler
 * also adopts the bricks of started volumes after a restart and stops what no started volume needs.
 */
final class BrickDaemons implements VolumeDaemons, DaemonListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrickDaemons.class);
    static final String PORTS = "gdd/brick-ports";
    static final String STATUS = "gdd/brick-status";
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(15);

    /** A brick's last known state, written by the node that runs it. */
    record BrickState(String node, boolean online, long pid, int port) {
    }

    /** Which volume (and brick, null for the self-heal daemon) a supervised daemon belongs to. */
    private record Owner(String volume, String brickId) {
    }

    private final GddSettings settings;
    private final NodeId self;
    private final Supervisor supervisor;
    private final EventSink events;
    private final Supplier<Gdd.Runtime> runtime;
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    private final Map<String, BrickState> published = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(new NamedThreads("gdd-reconcile"));

    BrickDaemons(GddSettings settings, NodeId self, Supervisor supervisor, EventSink events, Supplier<Gdd.Runtime> runtime) {
        this.settings = settings;
        this.self = self;
        this.supervisor = supervisor;
        this.events = events;
        this.runtime = runtime;
    }

    void start() {
        loop.scheduleWithFixedDelay(this::reconcileQuietly, 0, 2, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ VolumeDaemons (steps)

    @Override
    public synchronized void startBricks(Volume volume, List<Brick> local) throws Exception {
        for (Brick b : local) {
            glusterfsDir(b);
            int port = port(volume, b, true);
            DaemonSpec spec = brickSpec(volume, b, port);
            owners.put(spec.name(), new Owner(volume.name(), b.id()));
            supervisor.ensureRunning(spec);
        }
        for (Brick b : local) {
            awaitListening(volume, b, port(volume, b, false));
        }
        LOG.info("started {} brick(s) of volume {}", local.size(), volume.name());
    }

    @Override
    public synchronized void stopBricks(Volume volume, List<Brick> local) {
        for (Brick b : local) {
            stopDaemon(brickName(volume.name(), b.id()));
        }
        stopDaemon(shdName(volume.name()));
        LOG.info("stopped {} brick(s) of volume {}", local.size(), volume.name());
    }

    @Override
    public synchronized void volfilesChanged(Volume volume, List<String> fileNames) {
        for (Brick b : local(volume)) {
            String name = brickName(volume.name(), b.id());
            if (fileNames.contains(brickVolfile(volume, b)) && supervisor.status(name).isPresent()) {
                supervisor.stop(name);
                supervisor.ensureRunning(brickSpec(volume, b, port(volume, b, false)));
            }
        }
        String shd = shdName(volume.name());
        if (supervisor.status(shd).isPresent()) {
            supervisor.stop(shd);
            owners.remove(shd);
        }
    }

    /**
     * glusterd creates {@code BRICK/.glusterfs} when it prepares a brick; the index translator
     * refuses to start without it. The volume service's brick preparation does not (yet), so the
     * daemon side makes sure it is there.
     */
    private static void glusterfsDir(Brick b) throws IOException {
        Path dir = Path.of(b.path(), ".glusterfs");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }

    // ------------------------------------------------------------------ specs

    static String brickName(String volume, String brickId) {
        return "brick-" + volume + "-" + brickId;
    }

    static String shdName(String volume) {
        return "shd-" + volume;
    }

    static String brickVolfile(Volume v, Brick b) {
        return v.name() + "." + b.host() + "." + b.path().substring(1).replace('/', '-') + ".vol";
    }

    private Path run() {
        return settings.workdir().resolve("run");
    }

    private Path logs() {
        return settings.workdir().resolve("log");
    }

    DaemonSpec brickSpec(Volume v, Brick b, int port) {
        String name = brickName(v.name(), b.id());
        Path volfile = runtime.get().plugin().volfiles().dir(v.name()).resolve(brickVolfile(v, b));
        if (!Files.isRegularFile(volfile)) {
            throw new GdException(ErrorCode.DAEMON_FAILED, "brick " + b.endpoint() + " has no volfile " + volfile,
                    "the volume's volfiles are written at create; check " + volfile.getParent());
        }
        if (settings.simulateBricks()) {
            return DaemonSpec.builder(name)
                    .command(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                            simulatedBrickClasspath(), SimulatedBrick.class.getName(), settings.host(),
                            Integer.toString(port), b.path()))
                    .workDir(run()).pidFile(run().resolve(name + ".pid")).logFile(logs().resolve(name + ".out")).port(port)
                    .restartBackoff(Duration.ofMillis(500)).maxRestarts(5).build();
        }
        return DaemonSpec.builder(name)
                .command(List.of(settings.glusterfsd(), "-N", "-f", volfile.toString(), "--brick-name", b.path(),
                        "--brick-port", Integer.toString(port),
                        "--volfile-id", brickVolfile(v, b).replaceAll("\\.vol$", ""), "-l", logs().resolve("bricks").resolve(name + ".log").toString(),
                        "--xlator-option", v.name() + "-server.listen-port=" + port,
                        "--xlator-option", v.name() + "-server.transport.socket.bind-address=" + settings.host(),
                        "--xlator-option", "*-posix.glusterd-uuid=" + self.value(), "--process-name", "brick"))
                .workDir(run()).pidFile(run().resolve(name + ".pid")).logFile(logs().resolve(name + ".out")).port(port)
                .restartBackoff(Duration.ofMillis(500)).maxRestarts(5).build();
    }

    /** Where SimulatedBrick's class lives (it needs nothing but the JDK), so its command line stays short. */
    private static String simulatedBrickClasspath() {
        try {
            return Path.of(SimulatedBrick.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }

    private Optional<DaemonSpec> shdSpec(Volume v) throws IOException {
        if (settings.simulateBricks()) {
            return Optional.empty();
        }
        if (v.type() != VolumeType.REPLICATE && v.type() != VolumeType.DISTRIBUTED_REPLICATE
                && v.type() != VolumeType.DISPERSE && v.type() != VolumeType.DISTRIBUTED_DISPERSE) {
            return Optional.empty();
        }
        Gdd.Runtime r = runtime.get();
        String file = v.name() + "-shd.vol";
        if (!r.plugin().volfiles().list(v.name()).contains(file)) {
            return Optional.empty();
        }
        Optional<String> text = ClientVolfiles.resolve(r.plugin().volfiles().read(v.name(), file), v, r);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String name = shdName(v.name());
        Path volfile = run().resolve(name + ".vol");
        Files.createDirectories(run());
        Files.writeString(volfile, text.get());
        String xl = v.type() == VolumeType.DISPERSE || v.type() == VolumeType.DISTRIBUTED_DISPERSE ? "*disperse*" : "*replicate*";
        return Optional.of(DaemonSpec.builder(name)
                .command(List.of(settings.glusterfs(), "-N", "-f", volfile.toString(), "-l", logs().resolve(name + ".log").toString(),
                        "--process-name", "glustershd", "--xlator-option", xl + ".node-uuid=" + self.value()))
                .workDir(run()).pidFile(run().resolve(name + ".pid")).logFile(logs().resolve(name + ".out"))
                .restartBackoff(Duration.ofSeconds(1)).maxRestarts(5).build());
    }

    // ------------------------------------------------------------------ ports

    /** The brick's port from the store; allocates and records one when {@code allocate} and none is recorded. */
    private int port(Volume v, Brick b, boolean allocate) {
        ClusterStore store = runtime.get().store();
        String key = PORTS + "/" + v.name() + "/" + b.id();
        Optional<Versioned> known = store.get(key);
        if (known.isPresent()) {
            return Integer.parseInt(known.get().valueAsString().trim());
        }
        if (!allocate) {
            throw new GdException(ErrorCode.DAEMON_FAILED, "brick " + b.endpoint() + " has no port yet", "start the volume");
        }
        Set<Integer> taken = new HashSet<>();
        for (Versioned vol : store.children(PORTS)) {
            for (Versioned p : store.children(vol.key())) {
                taken.add(Integer.parseInt(p.valueAsString().trim()));
            }
        }
        for (int p = settings.brickPortBase(); p < 65536; p++) {
            if (!taken.contains(p) && bindable(p)) {
                store.put(key, Integer.toString(p));
                return p;
            }
        }
        throw new GdException(ErrorCode.DAEMON_FAILED, "no free port for brick " + b.endpoint() + " above " + settings.brickPortBase(),
                "free some ports");
    }

    private boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ports of every brick of the volume that has one, by brick id. */
    static Map<String, Integer> ports(ClusterStore store, String volume) {
        Map<String, Integer> out = new HashMap<>();
        for (Versioned p : store.children(PORTS + "/" + volume)) {
            out.put(p.key().substring(p.key().lastIndexOf('/') + 1), Integer.parseInt(p.valueAsString().trim()));
        }
        return out;
    }

    /** Every brick's last published state, by brick id. */
    static Map<String, BrickState> states(ClusterStore store, String volume) {
        Map<String, BrickState> out = new HashMap<>();
        for (Versioned p : store.children(STATUS + "/" + volume)) {
            out.put(p.key().substring(p.key().lastIndexOf('/') + 1), Json.read(p.value(), BrickState.class));
        }
        return out;
    }

    private void awaitListening(Volume v, Brick b, int port) throws InterruptedException {
        long deadline = System.nanoTime() + LISTEN_WAIT.toNanos();
        String name = brickName(v.name(), b.id());
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(settings.host(), port), 500);
                return;
            } catch (IOException e) {
                Optional<DaemonStatus> st = supervisor.status(name);
                if (st.isPresent() && st.get().state() == DaemonStatus.State.FAILED) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        throw new GdException(ErrorCode.DAEMON_FAILED, "brick " + b.endpoint() + " does not listen on port " + port + " after "
                + LISTEN_WAIT.toSeconds() + " s", "read " + logs().resolve("bricks").resolve(name + ".log"));
    }

    // ------------------------------------------------------------------ reconciler

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.debug("reconcile skipped: {}", e.toString());
        }
    }

    /** Adopts or starts the daemons started volumes need here, stops the rest, publishes brick states. */
    synchronized void reconcile() {
        Gdd.Runtime r = runtime.get();
        Set<String> wanted = new HashSet<>();
        Set<String> volumes = new HashSet<>();
        for (Volume v : r.volumes().list()) {
            volumes.add(v.name());
            VolumeState st;
            try {
                st = r.volumes().state(v.name());
            } catch (GdException e) {
                continue;
            }
            List<Brick> local = local(v);
            if (st == VolumeState.STARTED) {
                Map<String, Integer> ports = ports(r.store(), v.name());
                for (Brick b : local) {
                    String name = brickName(v.name(), b.id());
                    wanted.add(name);
                    if (supervisor.status(name).isEmpty()) {
                        // a brick added to a started volume (expand) gets its port and process here
                        int port = ports.containsKey(b.id()) ? ports.get(b.id()) : port(v, b, true);
                        ports.put(b.id(), port);
                        owners.put(name, new Owner(v.name(), b.id()));
                        try {
                            glusterfsDir(b);
                        } catch (IOException e) {
                            LOG.warn("brick {}: {}", b.endpoint(), e.toString());
                        }
                        supervisor.ensureRunning(brickSpec(v, b, ports.get(b.id())));
                    }
                }
                if (!local.isEmpty()) {
                    String shd = shdName(v.name());
                    wanted.add(shd);
                    if (supervisor.status(shd).isEmpty()) {
                        try {
                            shdSpec(v).ifPresent(spec -> {
                                owners.put(shd, new Owner(v.name(), null));
                                supervisor.ensureRunning(spec);
                            });
                        } catch (IOException e) {
                            LOG.warn("self-heal daemon of {} not started: {}", v.name(), e.toString());
                        }
                    }
                }
            } else if (st != VolumeState.STOPPED && st != VolumeState.CREATED && st != VolumeState.START_FAILED) {
                owners.forEach((name, o) -> {
                    if (o.volume().equals(v.name())) {
                        wanted.add(name);
                    }
                });
            }
        }
        for (String name : List.copyOf(owners.keySet())) {
            if (!wanted.contains(name)) {
                stopDaemon(name);
            }
        }
        for (Versioned vol : r.store().children(PORTS)) {
            String name = vol.key().substring(vol.key().lastIndexOf('/') + 1);
            if (!volumes.contains(name)) {
                r.store().deleteTree(vol.key());
                r.store().deleteTree(STATUS + "/" + name);
            }
        }
        publishStates();
    }

    private void stopDaemon(String name) {
        supervisor.stop(name);
        Owner o = owners.remove(name);
        if (o != null && o.brickId() != null) {
            publish(o, supervisor.status(name));
        }
    }

    private void publishStates() {
        owners.forEach((name, o) -> {
            if (o.brickId() != null) {
                publish(o, supervisor.status(name));
            }
        });
    }

    private void publish(Owner o, Optional<DaemonStatus> st) {
        BrickState s = new BrickState(self.value(), st.map(DaemonStatus::online).orElse(false),
                st.flatMap(x -> x.pid().isPresent() ? Optional.of(x.pid().getAsLong()) : Optional.empty()).orElse(0L),
                st.map(DaemonStatus::port).orElse(0));
        String key = STATUS + "/" + o.volume() + "/" + o.brickId();
        if (!s.equals(published.get(key))) {
            try {
                runtime.get().store().put(key, Json.write(s));
                published.put(key, s);
            } catch (RuntimeException e) {
                LOG.debug("brick state of {} not published: {}", key, e.toString());
            }
        }
    }

    /** Bricks online on this node (for metrics). */
    int bricksOnline() {
        int n = 0;
        for (Map.Entry<String, Owner> e : owners.entrySet()) {
            if (e.getValue().brickId() != null && supervisor.status(e.getKey()).map(DaemonStatus::online).orElse(false)) {
                n++;
            }
        }
        return n;
    }

    private List<Brick> local(Volume v) {
        return v.bricks().stream().filter(b -> b.node().equals(self)).toList();
    }

    // ------------------------------------------------------------------ DaemonListener

    @Override
    public void started(DaemonStatus s) {
        event(s, "started", Map.of());
        loop.execute(this::publishStatesQuietly);
    }

    @Override
    public void died(DaemonStatus s, boolean willRestart) {
        event(s, "died", Map.of("will-restart", Boolean.toString(willRestart),
                "exit-code", s.lastExitCode().isPresent() ? Integer.toString(s.lastExitCode().getAsInt()) : ""));
        loop.execute(this::publishStatesQuietly);
    }

    @Override
    public void stopped(DaemonStatus s) {
        event(s, "stopped", Map.of());
    }

    private void publishStatesQuietly() {
        try {
            synchronized (this) {
                publishStates();
            }
        } catch (RuntimeException e) {
            LOG.debug("publishing brick states skipped: {}", e.toString());
        }
    }

    private void event(DaemonStatus s, String what, Map<String, String> extra) {
        Owner o = owners.get(s.name());
        Map<String, String> data = new HashMap<>(extra);
        data.put("daemon", s.name());
        data.put("peer-id", self.value());
        if (s.pid().isPresent()) {
            data.put("pid", Long.toString(s.pid().getAsLong()));
        }
        String kind = "daemon";
        if (o != null) {
            data.put("volume", o.volume());
            if (o.brickId() != null) {
                kind = "brick";
                data.put("brick-id", o.brickId());
                data.put("port", Integer.toString(s.port()));
            }
        }
        events.publish(new Event(UUID.randomUUID().toString(), kind + "-" + what, data, self, Instant.now()));
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
