package dev.gdkit.testkit.volume;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.opversion.OpVersionPolicy;
import dev.gdkit.core.volgen.Volgen;
import dev.gdkit.core.volume.VolumeDaemons;
import dev.gdkit.core.volume.VolumePlugin;
import dev.gdkit.core.volume.VolumeService;
import dev.gdkit.core.volume.brick.LocalBrickFs;
import dev.gdkit.core.volume.brick.MountTable;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.volgen.GlusterVolgen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A {@link SimulatedCluster} whose nodes carry the volume plugin: each node gets its own work
 * directory and brick root under one temporary folder, real directories and real {@code trusted.*}
 * attributes (root and {@code setfattr} needed), and a mount table that by default makes the
 * brick folder its own file system (so bricks are not "on the root file system"; tests choose).
 *
 * <pre>{@code
 * try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
 *     c.service(1).create(CreateVolumeRequest.builder("v1").replica(3)
 *             .bricks(List.of(c.brick(1, "b"), c.brick(2, "b"), c.brick(3, "b"))).build());
 * }
 * }</pre>
 */
public final class VolumeCluster implements AutoCloseable {
    private final Path root;
    private final SimulatedCluster cluster;
    private final Map<NodeId, VolumePlugin> plugins = new ConcurrentHashMap<>();
    private final Map<GdNode, VolumeService> services = new ConcurrentHashMap<>();
    private final BrickFaults faults = new BrickFaults();
    private final OpVersionPolicy policy;

    private VolumeCluster(Builder b) {
        try {
            this.root = Files.createTempDirectory("gd-volumes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.policy = b.policy;
        MountTable mounts = b.mounts != null ? b.mounts.apply(root)
                : MountTable.of(List.of(new MountTable.Mount(Path.of("/"), "/dev/simroot"), new MountTable.Mount(root, "/dev/simbricks")));
        Volgen volgen = b.volgen != null ? b.volgen : GlusterVolgen.standard();
        this.cluster = SimulatedCluster.builder().nodes(b.nodes).opVersions(b.opVersions).lockWait(b.lockWait)
                .steps((id, disk) -> {
                    VolumePlugin p = VolumePlugin.builder().workdir(workdir(id)).volgen(volgen).daemons(b.daemons).undoRecordGrace(b.undoRecordGrace).migration(b.migration)
                            .brickFs(faults.wrap(id, new LocalBrickFs(mounts))).build();
                    plugins.put(id, p);
                    return p.steps();
                }).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings: nodes (3), op-versions ([1, 100000] each), policy (follow usage), mounts, volgen, daemons. */
    public static final class Builder {
        private int nodes = 3;
        private Function<NodeId, OpVersionRange> opVersions = id -> OpVersionRange.of(1, 100000);
        private OpVersionPolicy policy = OpVersionPolicy.followUsage();
        private Function<Path, MountTable> mounts;
        private Volgen volgen;
        private VolumeDaemons daemons = VolumeDaemons.NONE;
        private dev.gdkit.core.volume.BrickMigration migration = dev.gdkit.core.volume.BrickMigration.NONE;
        private java.time.Duration lockWait = java.time.Duration.ofSeconds(30);
        private java.time.Duration undoRecordGrace = java.time.Duration.ofMinutes(10);

        public Builder nodes(int n) {
            nodes = n;
            return this;
        }

        public Builder opVersions(Function<NodeId, OpVersionRange> f) {
            opVersions = f;
            return this;
        }

        /**
         * The op-version policy the volume services use. SimulatedCluster cannot set its nodes' policy
         * (they run GdNode's default, follow usage), so the services are given this one.
         */
        public Builder policy(OpVersionPolicy p) {
            policy = p;
            return this;
        }

        /** The mount table, from the cluster's temporary root folder. */
        public Builder mounts(Function<Path, MountTable> f) {
            mounts = f;
            return this;
        }

        public Builder volgen(Volgen v) {
            volgen = v;
            return this;
        }

        public Builder daemons(VolumeDaemons d) {
            daemons = d;
            return this;
        }

        /** The data migration every node uses for remove-brick (default none). */
        public Builder migration(dev.gdkit.core.volume.BrickMigration m) {
            migration = m;
            return this;
        }

        /** How long nodes keep undo records of finished transactions (the plugin's default: 10 minutes). */
        public Builder undoRecordGrace(java.time.Duration d) {
            undoRecordGrace = d;
            return this;
        }

        public Builder lockWait(java.time.Duration d) {
            lockWait = d;
            return this;
        }

        public VolumeCluster build() {
            return new VolumeCluster(this);
        }
    }

    public SimulatedCluster cluster() {
        return cluster;
    }

    public BrickFaults faults() {
        return faults;
    }

    /** The temporary folder everything lives under. */
    public Path root() {
        return root;
    }

    public Path workdir(NodeId id) {
        return root.resolve(id.value()).resolve("work");
    }

    /** The brick folder of node {@code n<i>}. */
    public Path brickRoot(int node) {
        return root.resolve(cluster.id(node).value()).resolve("bricks");
    }

    /** {@code n<i>:<brick root of n<i>>/<rel>}, creating the brick root (not the brick). */
    public String brick(int node, String rel) {
        try {
            Files.createDirectories(brickRoot(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cluster.id(node).value() + ":" + brickRoot(node).resolve(rel);
    }

    public Path brickPath(int node, String rel) {
        return brickRoot(node).resolve(rel);
    }

    /** The volume service on running node {@code n<i>} (a new one after a restart). */
    public VolumeService service(int node) {
        GdNode n = cluster.node(node);
        return services.computeIfAbsent(n, x -> VolumeService.builder().node(x).plugin(plugins.get(x.id())).policy(policy).build());
    }

    /** The volume plugin of the node's current incarnation. */
    public VolumePlugin plugin(NodeId id) {
        return plugins.get(id);
    }

    @Override
    public void close() {
        cluster.close();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }
}
