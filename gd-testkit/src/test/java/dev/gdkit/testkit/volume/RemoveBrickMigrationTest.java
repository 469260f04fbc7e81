package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.volume.BrickFlags;
import dev.gdkit.core.volume.BrickMigration;
import dev.gdkit.core.volume.CreateVolumeRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** remove-brick start, status, commit and stop over the BrickMigration hook. */
class RemoveBrickMigrationTest {
    /** A migration the test finishes by hand; it remembers which bricks are being drained. */
    static final class ControlledMigration implements BrickMigration {
        final Set<String> draining = ConcurrentHashMap.newKeySet();
        volatile boolean done;

        @Override
        public void start(Volume volume, List<Brick> leaving) {
            leaving.forEach(b -> draining.add(b.endpoint()));
        }

        @Override
        public Status status(Volume volume, List<Brick> leaving) {
            return new Status(done, done ? 42 : 7, 0, done ? "" : "in progress");
        }

        @Override
        public void stop(Volume volume, List<Brick> leaving) {
            leaving.forEach(b -> draining.remove(b.endpoint()));
        }
    }

    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    private static Volume twoSets(VolumeCluster c) {
        Volumes.rep3(c, "v");
        return c.service(1).expand("v", 0, List.of(c.brick(1, "v2"), c.brick(2, "v2"), c.brick(3, "v2")), BrickFlags.none());
    }

    @Test
    void startStatusCommit() {
        ControlledMigration m = new ControlledMigration();
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).migration(m).build()) {
            twoSets(c);
            List<String> leaving = List.of(c.brick(1, "v2"), c.brick(2, "v2"), c.brick(3, "v2"));
            assertThatThrownBy(() -> c.service(1).removeBricksStart("v", leaving.subList(0, 2)))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("cover part of set 2"));
            c.service(2).removeBricksStart("v", leaving);
            assertThat(m.draining).containsExactlyInAnyOrderElementsOf(leaving);
            assertThat(c.service(3).get("v").bricks()).hasSize(6);
            assertThatThrownBy(() -> c.service(1).removeBricksStart("v", leaving))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("already running"));
            assertThatThrownBy(() -> c.service(1).expand("v", 0, List.of(c.brick(1, "v3"), c.brick(2, "v3"), c.brick(3, "v3")),
                    BrickFlags.none())).isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("remove-brick is running"));

            Map<NodeId, BrickMigration.Status> st = c.service(3).removeBricksStatus("v");
            assertThat(st).hasSize(3).allSatisfy((n, s) -> assertThat(s.complete()).isFalse());
            assertThatThrownBy(() -> c.service(1).removeBricksCommit("v")).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("is not complete (7 files moved");
            });
            assertThat(c.service(1).get("v").bricks()).hasSize(6);

            m.done = true;
            assertThat(c.service(1).removeBricksStatus("v")).allSatisfy((n, s) -> assertThat(s.filesMoved()).isEqualTo(42));
            Volume after = c.service(1).removeBricksCommit("v");
            assertThat(after.type()).isEqualTo(VolumeType.REPLICATE);
            assertThat(after.bricks()).extracting(Brick::path).allSatisfy(p -> assertThat(p).endsWith("/v"));
            assertThat(c.service(2).removeBrickTask("v")).isEmpty();
            assertThat(c.plugin(c.cluster().id(1)).volfiles().list("v")).noneMatch(f -> f.contains("-v2.vol"));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void stopKeepsTheBricks() {
        ControlledMigration m = new ControlledMigration();
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).migration(m).build()) {
            twoSets(c);
            c.service(1).removeBricksStart("v", List.of(c.brick(1, "v2"), c.brick(2, "v2"), c.brick(3, "v2")));
            c.service(2).removeBricksStop("v");
            assertThat(m.draining).isEmpty();
            assertThat(c.service(1).removeBrickTask("v")).isEmpty();
            assertThat(c.service(1).get("v").bricks()).hasSize(6);
            assertThatThrownBy(() -> c.service(1).removeBricksStatus("v"))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void withoutAMigrationStartIsRefusedAndChangesNothing() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            twoSets(c);
            assertThatThrownBy(() -> c.service(1).removeBricksStart("v", List.of(c.brick(1, "v2"), c.brick(2, "v2"), c.brick(3, "v2"))))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                        assertThat(e.getMessage()).contains("no data migration installed");
                        assertThat(e.remedy()).contains("install a BrickMigration");
                    });
            assertThat(c.service(1).removeBrickTask("v")).isEmpty();
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }
}
