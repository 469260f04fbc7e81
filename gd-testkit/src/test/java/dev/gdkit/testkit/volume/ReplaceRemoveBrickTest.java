package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.volume.BrickFlags;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.brick.BrickPreparer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** replace-brick and remove-brick (replica lowering and forced set removal); glusterd's add-brick-and-validate test's 3 to 2. */
class ReplaceRemoveBrickTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    @Test
    void replaceKeepsThePositionAndType() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(4).build()) {
            Volume v = c.service(1).create(CreateVolumeRequest.builder("a").replica(3).arbiter(1)
                    .bricks(List.of(c.brick(1, "a"), c.brick(2, "a"), c.brick(3, "a"))).build());
            Volume after = c.service(2).replaceBrick("a", c.brick(3, "a"), c.brick(4, "a"), BrickFlags.none());
            assertThat(after.bricks().get(2).node().value()).isEqualTo("n4");
            assertThat(after.bricks().get(2).type()).isEqualTo(BrickType.ARBITER);
            assertThat(after.bricks().subList(0, 2)).isEqualTo(v.bricks().subList(0, 2));
            assertThat(Xattrs.volumeId(c.brickPath(4, "a"))).contains(BrickPreparer.xattrValue(v.id()));
            assertThat(c.plugin(c.cluster().id(4)).volfiles().list("a")).anyMatch(f -> f.startsWith("a.n4."));
            assertThat(c.plugin(c.cluster().id(3)).volfiles().list("a")).noneMatch(f -> f.startsWith("a.n3."));
            assertThatThrownBy(() -> c.service(1).replaceBrick("a", c.brick(3, "a"), c.brick(4, "b"), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> c.service(1).replaceBrick("a", c.brick(4, "a"), c.brick(1, "b"), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("same node n1"));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void replaceIsRefusedOnDistribute() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(2).build()) {
            c.service(1).create(CreateVolumeRequest.builder("d").brick(c.brick(1, "d")).build());
            assertThatThrownBy(() -> c.service(1).replaceBrick("d", c.brick(1, "d"), c.brick(2, "d"), BrickFlags.none()))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("distribute volume d"));
        }
    }

    @Test
    void replicaThreeLoweredToTwoAndSetsRemovedOnlyWithForce() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            c.service(1).create(CreateVolumeRequest.builder("r").replica(3).bricks(List.of(c.brick(1, "a"), c.brick(2, "a"),
                    c.brick(3, "a"), c.brick(1, "b"), c.brick(2, "b"), c.brick(3, "b"))).build());
            assertThatThrownBy(() -> c.service(1).removeBricks("r", 2, List.of(c.brick(3, "a")), false))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("set r-replicate-1 loses 0"));
            Volume two = c.service(2).removeBricks("r", 2, List.of(c.brick(3, "a"), c.brick(3, "b")), false);
            assertThat(two.subvolumes()).hasSize(2).allSatisfy(s -> assertThat(s.replicaCount()).isEqualTo(2));
            assertThat(c.service(3).get("r")).isEqualTo(two);
            assertThatThrownBy(() -> c.service(1).removeBricks("r", 0, List.of(c.brick(1, "b"), c.brick(2, "b")), false))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                        assertThat(e.getMessage()).contains("without moving their files would drop them");
                        assertThat(e.remedy()).contains("removeBricksStart");
                    });
            assertThatThrownBy(() -> c.service(1).removeBricks("r", 0, List.of(c.brick(1, "b")), true))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("part of set 2"));
            Volume one = c.service(1).removeBricks("r", 0, List.of(c.brick(1, "b"), c.brick(2, "b")), true);
            assertThat(one.type()).isEqualTo(VolumeType.REPLICATE);
            assertThat(one.bricks()).hasSize(2);
            assertThat(c.service(1).volfileNames("r")).doesNotContain("r-rebalance.vol");
            assertThat(c.plugin(c.cluster().id(1)).volfiles().list("r")).noneMatch(f -> f.endsWith("-b.vol"));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }
}
