package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.VolumeKeys;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start, stop and delete: allowed transitions, refusals, failed states with reports, and retries. */
class VolumeLifecycleTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }


    @Test
    void startStopDeleteFollowTheRules() {
        RecordingDaemons d = new RecordingDaemons();
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).daemons(d).build()) {
            Volumes.rep3(c, "v");
            assertThatThrownBy(() -> c.service(1).stop("v")).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("cannot stop volume v: it is Created");
            });
            assertThat(c.service(2).start("v").state()).isEqualTo(VolumeState.STARTED);
            assertThat(d.running).hasSize(3);
            assertThat(c.service(3).get("v").state()).isEqualTo(VolumeState.STARTED);
            assertThatThrownBy(() -> c.service(1).start("v")).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("it is Started"));
            assertThatThrownBy(() -> c.service(1).delete("v")).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("cannot delete volume v: it is Started");
                assertThat(e.remedy()).contains("stop the volume first");
            });
            assertThat(c.service(3).stop("v").state()).isEqualTo(VolumeState.STOPPED);
            assertThat(d.running).isEmpty();
            c.service(2).delete("v");
            assertThat(c.service(1).find("v")).isEmpty();
            assertThat(c.cluster().store().snapshot(c.cluster().namespace()).keySet()).noneMatch(k -> k.startsWith(VolumeKeys.volume("v")));
            for (int i = 1; i <= 3; i++) {
                assertThat(c.workdir(c.cluster().id(i)).resolve("vols/v")).doesNotExist();
                // like glusterd, delete keeps the brick and its volume-id: re-use needs reuse-bricks or force
                assertThat(Xattrs.volumeId(c.brickPath(i, "v"))).isPresent();
            }
            assertThatThrownBy(() -> c.service(1).delete("v")).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> Volumes.rep3(c, "v")).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("is already part of a volume"));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void failedStartKeepsStartFailedWithAReportAndUndoesTheStartedBricks() {
        RecordingDaemons d = new RecordingDaemons();
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).daemons(d).build()) {
            Volumes.rep3(c, "v");
            d.failStartOn.add(c.cluster().id(3));
            assertThatThrownBy(() -> c.service(1).start("v")).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.getMessage()).contains("volume start of v failed").contains("glusterfsd for n3:");
                assertThat(e.nodeErrors()).extracting(n -> n.node()).containsExactly("n3");
            });
            assertThat(d.running).isEmpty();
            assertThat(c.service(2).get("v").state()).isEqualTo(VolumeState.START_FAILED);
            assertThat(c.service(2).failureReport("v")).hasValueSatisfying(r -> {
                assertThat(r.operation()).isEqualTo("volume-start");
                assertThat(r.state()).isEqualTo(VolumeState.START_FAILED);
                assertThat(r.nodes()).singleElement().satisfies(n -> {
                    assertThat(n.node()).isEqualTo("n3");
                    assertThat(n.step()).isEqualTo("volume.start-bricks");
                });
            });
            d.failStartOn.clear();
            assertThat(c.service(1).start("v").state()).isEqualTo(VolumeState.STARTED);
            assertThat(c.service(1).failureReport("v")).isEmpty();
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void startRefusesABrickThatLostItsVolumeId() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            // the brick's file system is not mounted: the directory is there but empty of attributes
            new dev.gdkit.core.volume.brick.LocalBrickFs(dev.gdkit.core.volume.brick.MountTable.of(List.of()))
                    .removeXattr(c.brickPath(2, "v"), "trusted.glusterfs.volume-id");
            assertThatThrownBy(() -> c.service(1).start("v")).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("brick n2:" + c.brickPath(2, "v") + " does not carry volume v's id");
                assertThat(e.remedy()).contains("mounted");
            });
            assertThat(c.service(1).state("v")).isEqualTo(VolumeState.START_FAILED);
            // a failed start may be cleaned up by stop, and the volume deleted
            c.service(1).stop("v");
            c.service(1).delete("v");
        }
    }

    @Test
    void deleteWithAPeerDownIsRefusedAndChangesNothing() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            c.cluster().crash(c.cluster().id(3));
            // the refusal needs node 1 to know that n3 is down (its liveness key gone); before that the
            // delete runs, fails on n3 and leaves the volume DELETE_FAILED, which is another test's case
            long end = System.nanoTime() + 10_000_000_000L;
            while (c.cluster().node(1).peers().stream().noneMatch(p -> p.id().equals(c.cluster().id(3))
                    && p.state() == dev.gdkit.api.model.PeerState.UNREACHABLE)) {
                assertThat(System.nanoTime()).as("node 1 sees n3 down within 10 s").isLessThan(end);
                Thread.sleep(10);
            }
            assertThatThrownBy(() -> c.service(1).delete("v")).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("n3"));
            assertThat(c.service(1).get("v").state()).isEqualTo(VolumeState.CREATED);
            c.cluster().restart(c.cluster().id(3));
            c.service(3).delete("v");
        }
    }

    @Test
    void metadataIsEditedWithinItsLimits() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            var s = c.service(2);
            assertThat(s.editMetadata("v", java.util.Map.of("owner", "qa", "tier", "gold"), List.of()).metadata())
                    .containsEntry("owner", "qa").containsEntry("tier", "gold");
            assertThat(s.editMetadata("v", java.util.Map.of(), List.of("tier")).metadata()).containsOnlyKeys("owner");
            assertThatThrownBy(() -> s.editMetadata("v", java.util.Map.of("big", "x".repeat(5000)), List.of()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("the limit is 4096"));
            assertThatThrownBy(() -> s.editMetadata("v", java.util.Map.of("_gd", "x"), List.of()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("'_gd'"));
            assertThat(c.service(3).info("v").metadata()).isEqualTo(java.util.Map.of("owner", "qa"));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void aNodeWhoseSecondBrickFailsToStartStopsItsFirst() {
        RecordingDaemons d = new RecordingDaemons();
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).daemons(d).build()) {
            c.service(1).create(CreateVolumeRequest.builder("v").replica(3).bricks(List.of(c.brick(1, "a"), c.brick(2, "a"),
                    c.brick(3, "a"), c.brick(1, "b"), c.brick(2, "b"), c.brick(3, "b"))).build());
            d.failStartAt.add(c.brick(2, "b"));
            assertThatThrownBy(() -> c.service(1).start("v")).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("could not bind its port"));
            assertThat(d.running).isEmpty();
            assertThat(c.service(1).state("v")).isEqualTo(VolumeState.START_FAILED);
        }
    }

    @Test
    void aReloadThatFailsPutsTheOldVolfilesBackEverywhere() {
        RecordingDaemons d = new RecordingDaemons();
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).daemons(d).build()) {
            Volumes.rep3(c, "v");
            c.service(1).start("v");
            java.util.Map<String, String> before = new java.util.HashMap<>();
            for (int i = 1; i <= 3; i++) {
                var dir = c.plugin(c.cluster().id(i)).volfiles();
                for (String f : dir.list("v")) {
                    before.put(i + "/" + f, dir.read("v", f));
                }
            }
            d.failReload = true;
            // a brick option: every brick node rewrites its brick's graph and reloads it
            assertThatThrownBy(() -> c.service(2).setOptions("v", java.util.Map.of("storage.linux-aio", "on")))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("did not accept the new volfile"));
            for (int i = 1; i <= 3; i++) {
                var dir = c.plugin(c.cluster().id(i)).volfiles();
                for (String f : dir.list("v")) {
                    assertThat(dir.read("v", f)).as(i + "/" + f).isEqualTo(before.get(i + "/" + f));
                }
            }
            assertThat(c.service(3).get("v").options()).doesNotContainKey("storage.linux-aio");
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }
}
