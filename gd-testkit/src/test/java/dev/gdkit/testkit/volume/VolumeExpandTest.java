package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.api.gd2.VolumeInfo;
import dev.gdkit.core.volume.BrickFlags;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.brick.BrickPreparer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Expand (add-brick): whole new sets, or a higher replica count. Ports glusterd's
 * brick-order-check-add-brick.t, add-brick-and-validate-replicated-volume-options.t (replica 2 to
 * 3) and bug-948729 (same path rules for add-brick).
 */
class VolumeExpandTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    @Test
    void addingASetKeepsTheLayout() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volume v = Volumes.rep3(c, "v");
            Volume after = c.service(2).expand("v", 0, List.of(c.brick(1, "v2"), c.brick(2, "v2"), c.brick(3, "v2")), BrickFlags.none());
            assertThat(after.type()).isEqualTo(VolumeType.DISTRIBUTED_REPLICATE);
            assertThat(after.subvolumes()).extracting(s -> s.name()).containsExactly("v-replicate-0", "v-replicate-1");
            assertThat(after.subvolumes().get(0)).isEqualTo(v.subvolumes().get(0));
            assertThat(c.service(3).get("v")).isEqualTo(after);
            for (int i = 1; i <= 3; i++) {
                assertThat(Xattrs.volumeId(c.brickPath(i, "v2"))).contains(BrickPreparer.xattrValue(v.id()));
                // rebalance's graph is served (rendered when a rebalance asks), kept on no disk
                assertThat(c.service(i).volfileNames("v")).contains("v-rebalance.vol");
                assertThat(c.plugin(c.cluster().id(i)).volfiles().list("v")).doesNotContain("v-rebalance.vol")
                        .contains("v-shd.vol");
            }
            assertThat(VolumeInfo.of(after).distributeCount()).isEqualTo(2);
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void sameHostInANewSetNeedsForce() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            List<String> bad = List.of(c.brick(1, "x1"), c.brick(1, "x2"), c.brick(2, "x3"));
            assertThatThrownBy(() -> c.service(1).expand("v", 0, bad, BrickFlags.none())).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("of replica set 1 are on the same node n1"));
            assertThat(c.service(1).get("v").bricks()).hasSize(3);
            assertThat(c.service(1).expand("v", 0, bad, BrickFlags.forced()).bricks()).hasSize(6);
        }
    }

    @Test
    void brickCountMustFillSetsAndBricksMustBeNew() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            assertThatThrownBy(() -> c.service(1).expand("v", 0, List.of(c.brick(1, "y1"), c.brick(2, "y1")), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("2 bricks do not make whole sets for replica 3"));
            assertThatThrownBy(() -> c.service(1).expand("v", 0, List.of(c.brick(1, "v"), c.brick(2, "z"), c.brick(3, "z")), BrickFlags.forced()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("given twice"));
            assertThatThrownBy(() -> c.service(1).expand("v", 0, List.of(c.brick(1, "p/q"), c.brick(2, "p/q"), c.brick(3, "p/q")),
                    BrickFlags.none())).isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("the parent directory");
                    });
            assertThat(c.brickPath(1, "p")).doesNotExist();
            assertThat(c.service(1).get("v").bricks()).hasSize(3);
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void replicaTwoRaisedToThree() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volume v = c.service(1).create(CreateVolumeRequest.builder("r2").replica(2)
                    .bricks(List.of(c.brick(1, "a"), c.brick(2, "a"), c.brick(2, "b"), c.brick(3, "b"))).build());
            assertThat(v.type()).isEqualTo(VolumeType.DISTRIBUTED_REPLICATE);
            // the new third copy of set 1 would sit on n2 with set 1's second brick: refused without force
            assertThatThrownBy(() -> c.service(1).expand("r2", 3, List.of(c.brick(2, "c"), c.brick(1, "c")), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("of replica set 1 are on the same node n2"));
            assertThatThrownBy(() -> c.service(1).expand("r2", 3, List.of(c.brick(3, "c")), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("needs 2 new bricks"));
            Volume after = c.service(2).expand("r2", 3, List.of(c.brick(3, "c"), c.brick(1, "c")), BrickFlags.none());
            assertThat(after.subvolumes()).hasSize(2).allSatisfy(s -> assertThat(s.replicaCount()).isEqualTo(3));
            assertThat(after.subvolumes().get(0).bricks()).extracting(b -> b.node().value()).containsExactly("n1", "n2", "n3");
            assertThat(after.subvolumes().get(1).bricks()).extracting(b -> b.node().value()).containsExactly("n2", "n3", "n1");
            assertThat(c.service(3).get("r2").subvolumes().get(1).bricks().get(2).path()).isEqualTo(c.brickPath(1, "c").toString());
            assertThatThrownBy(() -> c.service(1).expand("r2", 2, List.of(c.brick(3, "d"), c.brick(1, "d")), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("to replica 2"));
        }
    }

    @Test
    void distributeBecomesReplicated() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            c.service(1).create(CreateVolumeRequest.builder("d").brick(c.brick(1, "d")).build());
            Volume after = c.service(1).expand("d", 3, List.of(c.brick(2, "d"), c.brick(3, "d")), BrickFlags.none());
            assertThat(after.type()).isEqualTo(VolumeType.REPLICATE);
            assertThat(after.subvolumes()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("d-replicate-0"));
        }
    }

    @Test
    void aFailedExpandLeavesTheVolumeAndTheOldBricksAlone() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volume v = Volumes.rep3(c, "v");
            c.faults().fail(c.cluster().id(3), BrickFaults.Op.SET_XATTR, 1);
            assertThatThrownBy(() -> c.service(1).expand("v", 0, List.of(c.brick(1, "n"), c.brick(2, "n"), c.brick(3, "n")),
                    BrickFlags.none())).isInstanceOfSatisfying(GdException.class, e -> assertThat(e.nodeErrors()).isNotEmpty());
            assertThat(c.service(2).get("v")).isEqualTo(v);
            for (int i = 1; i <= 3; i++) {
                assertThat(c.brickPath(i, "n")).doesNotExist();
                assertThat(Xattrs.volumeId(c.brickPath(i, "v"))).contains(BrickPreparer.xattrValue(v.id()));
                assertThat(c.service(i).volfileNames("v")).doesNotContain("v-rebalance.vol");
                assertThat(c.plugin(c.cluster().id(i)).volfiles().list("v")).noneMatch(f -> f.endsWith("-n.vol"));
            }
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }
}
