package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.VolumeKeys;
import dev.gdkit.testkit.cluster.CrashPlan;
import dev.gdkit.testkit.cluster.SimulatedCrash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failure anywhere in a create leaves no trace on any node: no brick directory, no volume-id
 * attribute, no volfile, no undo record, no store entry (glusterd leaves all of them, and the
 * broken volume comes back after a restart: glusterd-live-runs/failed-commit-residue.txt).
 */
class CreateRollbackTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    private static CreateVolumeRequest rep3x2(VolumeCluster c, String name) {
        return CreateVolumeRequest.builder(name).replica(3).bricks(List.of(c.brick(1, name + "-a"), c.brick(2, name + "-a"),
                c.brick(3, name + "-a"), c.brick(1, name + "-b"), c.brick(2, name + "-b"), c.brick(3, name + "-b"))).build();
    }

    /** Nothing of volume {@code name} anywhere. */
    static void noTrace(VolumeCluster c, String name, int nodes) {
        for (int i = 1; i <= nodes; i++) {
            NodeId id = c.cluster().id(i);
            for (String suffix : List.of("-a", "-b")) {
                assertThat(c.brickPath(i, name + suffix)).as("brick dir on " + id).doesNotExist();
            }
            assertThat(Xattrs.volumeId(c.brickRoot(i))).as("volume-id on the brick root of " + id).isEmpty();
            assertThat(c.workdir(id).resolve("vols").resolve(name)).as("volfiles on " + id).doesNotExist();
            Path undo = c.workdir(id).resolve("undo");
            if (Files.isDirectory(undo)) {
                try (Stream<Path> s = Files.list(undo)) {
                    assertThat(s.toList()).as("undo records on " + id).isEmpty();
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(c.cluster().store().snapshot(c.cluster().namespace()).keySet())
                .noneMatch(k -> k.equals(VolumeKeys.volume(name)) || k.startsWith(VolumeKeys.volume(name) + "/"))
                .noneMatch(k -> k.startsWith("opversion-usage/") && k.endsWith("/" + name));
        assertThat(c.cluster().checker().check()).isEmpty();
    }

    @ParameterizedTest(name = "setting the volume-id fails on n{0}")
    @ValueSource(ints = {1, 2, 3})
    void brickFailureOnAnyNodeUndoesEveryNode(int failing) {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            NodeId bad = c.cluster().id(failing);
            // the second brick on that node fails: its first brick must be undone by the node itself
            c.faults().fail(bad, BrickFaults.Op.SET_XATTR, 1);
            assertThatThrownBy(() -> c.service(1).create(rep3x2(c, "v"))).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("volume create of v failed").contains("cannot prepare brick " + bad.value() + ":")
                        .contains("injected SET_XATTR failure").contains("every change was undone on every node");
                assertThat(e.nodeErrors()).singleElement().satisfies(ne -> {
                    assertThat(ne.node()).isEqualTo(bad.value());
                    assertThat(ne.step()).isEqualTo("volume.prepare-bricks");
                    assertThat(ne.remedy()).contains("trusted.* extended attributes");
                });
            });
            noTrace(c, "v", 3);
            assertThat(c.service(2).failureReport("v")).hasValueSatisfying(r -> {
                assertThat(r.state()).isEqualTo(VolumeState.CREATE_FAILED);
                assertThat(r.nodes()).extracting(n -> n.node()).containsExactly(bad.value());
            });
            // the same request succeeds once the fault is gone, and clears the report
            c.service(3).create(rep3x2(c, "v"));
            assertThat(c.service(1).failureReport("v")).isEmpty();
        }
    }

    @Test
    void secondBrickOfANodeFailingUndoesItsFirstBrick() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            c.brick(2, "x");
            // a file where n2's second brick must go: n2's first brick is prepared, then taken back
            try {
                Files.writeString(c.brickPath(2, "v-b"), "in the way");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertThatThrownBy(() -> c.service(1).create(rep3x2(c, "v"))).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("exists but is not a directory"));
            assertThat(c.brickPath(2, "v-a")).doesNotExist();
            assertThat(c.brickPath(1, "v-a")).doesNotExist();
            assertThat(c.brickPath(2, "v-b")).isRegularFile();
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void volfileFailureOnOneBrickNodeUndoesTheBricksEverywhere() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(4).build()) {
            // a file where node 3's volfile folder must go makes its write fail; node 4 hosts no brick
            // and keeps no volfile, so the create runs nothing there
            Path blocker = c.workdir(c.cluster().id(3)).resolve("vols").resolve("v");
            Files.createDirectories(blocker.getParent());
            Files.writeString(blocker, "not a folder");
            assertThatThrownBy(() -> c.service(1).create(rep3x2(c, "v"))).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.getMessage()).contains("'volume.write-volfiles'").contains("cannot write the volfiles of volume v into")
                        .contains("on node n3");
                assertThat(e.remedy()).contains("is not taken by a file");
                assertThat(e.nodeErrors()).extracting(ne -> ne.node()).containsExactly("n3");
            });
            Files.delete(blocker);
            noTrace(c, "v", 4);
            // the same create goes through once the obstacle is gone; node 4 still keeps nothing of v
            c.service(4).create(rep3x2(c, "v"));
            assertThat(c.workdir(c.cluster().id(4)).resolve("vols").resolve("v")).doesNotExist();
            assertThat(c.service(4).volfile("v", "v.tcp-fuse.vol")).contains("volume v-replicate-1");
        }
    }

    @ParameterizedTest(name = "coordinator crashes {0} {1}")
    @CsvSource({"AFTER_STEP,0", "BEFORE_STEP,1", "AFTER_STEP,1", "BEFORE_COMMIT,-1"})
    void coordinatorCrashMidCreateIsUndoneEverywhere(CrashPlan.When when, int step) {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            c.service(1); // the coordinator's service exists before the crash
            c.cluster().crashPlan().arm(new CrashPlan.Point(when, step));
            assertThatThrownBy(() -> c.service(1).create(rep3x2(c, "v"))).isInstanceOf(SimulatedCrash.class);
            assertThat(c.cluster().isRunning(c.cluster().id(1))).isFalse();
            // survivors undo their share; the crashed coordinator pays its own undo when it restarts
            c.cluster().restart(c.cluster().id(1));
            c.cluster().awaitQuiescent(Duration.ofSeconds(20));
            noTrace(c, "v", 3);
            assertThat(c.service(2).find("v")).isEmpty();
            c.service(1).create(rep3x2(c, "v"));
            assertThat(c.service(3).get("v").state()).isEqualTo(VolumeState.CREATED);
        }
    }

    @Test
    void concurrentCreatesOfOneNameYieldOneVolume() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 1; i <= 3; i++) {
                int n = i;
                var req = CreateVolumeRequest.builder("same").brick(c.brick(n, "same-" + n)).build();
                var s = c.service(n);
                threads.add(new Thread(() -> {
                    try {
                        s.create(req);
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(errors).hasSize(2).allSatisfy(t -> assertThat(t).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS)));
            var v = c.service(1).get("same");
            assertThat(v.bricks()).hasSize(1);
            for (int n = 1; n <= 3; n++) {
                boolean mine = v.bricks().get(0).node().equals(c.cluster().id(n));
                assertThat(Files.exists(c.brickPath(n, "same-" + n))).isEqualTo(mine);
            }
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void aBrickNodeCutOffAfterPreparingPaysItsUndoLaterFromItsOwnRecord() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            NodeId n1 = c.cluster().id(1);
            NodeId n3 = c.cluster().id(3);
            c.service(1);
            // n3 prepares its brick, then loses the coordinator: its answer never arrives
            c.faults().afterSetXattr(n3, () -> c.cluster().partition(n1, n3));
            assertThatThrownBy(() -> c.service(1).create(CreateVolumeRequest.builder("v").replica(3)
                    .bricks(List.of(c.brick(1, "v-a"), c.brick(2, "v-a"), c.brick(3, "v-a"))).build()))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNDO_PENDING);
                        assertThat(e.nodeErrors()).anySatisfy(ne -> assertThat(ne.node()).isEqualTo("n3"));
                    });
            assertThat(c.service(2).find("v")).isEmpty();
            c.cluster().heal();
            c.cluster().awaitQuiescent(Duration.ofSeconds(20));
            noTrace(c, "v", 3);
        }
    }
}
