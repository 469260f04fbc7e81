package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.VolumeRules;
import dev.gdkit.core.volume.brick.LocalBrickFs;
import dev.gdkit.core.volume.brick.MountTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * glusterd's tests/basic/glusterd/volume-brick-count.t ("Number of Bricks" for every layout, an
 * arbiter volume surviving a restart), the create-time defaults a newer cluster gets and that
 * {@code reset} keeps (optimized-basic-testcases.t), and the mount table rules.
 */
class BrickCountAndRestartTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    private static String count(Volume v) {
        return VolumeRules.layoutOf(v).brickCountText(v.bricks().size());
    }

    @Test
    void numberOfBricksForEveryLayoutAndArbiterSurvivesARestart() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(6).build()) {
            var s = c.service(1);
            List<String> six = List.of(c.brick(1, "x"), c.brick(2, "x"), c.brick(3, "x"), c.brick(4, "x"), c.brick(5, "x"), c.brick(6, "x"));
            List<String> sixB = List.of(c.brick(1, "y"), c.brick(2, "y"), c.brick(3, "y"), c.brick(4, "y"), c.brick(5, "y"), c.brick(6, "y"));
            assertThat(count(s.create(CreateVolumeRequest.builder("arb1").replica(3).arbiter(1).bricks(six.subList(0, 3)).build())))
                    .isEqualTo("1 x (2 + 1) = 3");
            assertThat(count(s.create(CreateVolumeRequest.builder("rep2x3").replica(3).bricks(sixB).build()))).isEqualTo("2 x 3 = 6");
            assertThat(count(s.create(CreateVolumeRequest.builder("rep1x3").replica(3).bricks(six.subList(3, 6)).build())))
                    .isEqualTo("1 x 3 = 3");
            List<String> z = List.of(c.brick(1, "z"), c.brick(2, "z"), c.brick(3, "z"), c.brick(4, "z"), c.brick(5, "z"), c.brick(6, "z"));
            assertThat(count(s.create(CreateVolumeRequest.builder("ec2x").disperse(3).redundancy(1).bricks(z).build())))
                    .isEqualTo("2 x (2 + 1) = 6");
            List<String> w = List.of(c.brick(1, "w"), c.brick(2, "w"), c.brick(3, "w"), c.brick(4, "w"), c.brick(5, "w"), c.brick(6, "w"));
            assertThat(count(s.create(CreateVolumeRequest.builder("arb2").replica(3).arbiter(1).bricks(w).build())))
                    .isEqualTo("2 x (2 + 1) = 6");
            assertThat(count(s.create(CreateVolumeRequest.builder("ec1x").disperse(3).bricks(
                    List.of(c.brick(1, "e"), c.brick(2, "e"), c.brick(3, "e"))).build()))).isEqualTo("1 x (2 + 1) = 3");
            assertThat(count(s.create(CreateVolumeRequest.builder("dist3").bricks(
                    List.of(c.brick(4, "e"), c.brick(5, "e"), c.brick(6, "e"))).build()))).isEqualTo("3");

            c.cluster().crash(c.cluster().id(2));
            c.cluster().restart(c.cluster().id(2));
            assertThat(count(c.service(2).get("arb1"))).isEqualTo("1 x (2 + 1) = 3");
            assertThat(count(c.service(2).get("arb2"))).isEqualTo("2 x (2 + 1) = 6");
            assertThat(c.service(2).info("arb1").arbiterCount()).isEqualTo(1);
        }
    }

    @Test
    void aNewerClusterGetsGlusterdsCreateDefaultsAndResetKeepsThem() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).opVersions(id -> OpVersionRange.of(31000, 100000)).build()) {
            Volume v = Volumes.rep3(c, "v");
            assertThat(v.options()).containsEntry("transport.address-family", "inet").containsEntry("cluster.granular-entry-heal", "on")
                    .doesNotContainKey("storage.fips-mode-rchecksum"); // introduced in 40000, above the cluster's 31000
            c.service(2).setOptions("v", Map.of("transport.address-family", "inet6"));
            assertThat(c.service(3).resetAllOptions("v").options()).containsEntry("transport.address-family", "inet");
        }
    }

    @Test
    void mountTableDecidesMountPointsAndTheRootFileSystem() {
        MountTable t = MountTable.of(List.of(new MountTable.Mount(Path.of("/"), "/dev/vda"),
                new MountTable.Mount(Path.of("/bricks"), "/dev/vdb"), new MountTable.Mount(Path.of("/bind"), "/dev/vda")));
        LocalBrickFs fs = new LocalBrickFs(t);
        assertThat(fs.isMountPoint(Path.of("/bricks"))).isTrue();
        assertThat(fs.isMountPoint(Path.of("/bricks/b1"))).isFalse();
        assertThat(fs.onRootFileSystem(Path.of("/srv/b1"))).isTrue();
        assertThat(fs.onRootFileSystem(Path.of("/bricks/b1/not/yet/there"))).isFalse();
        // a bind mount of the root device is still the root file system
        assertThat(fs.onRootFileSystem(Path.of("/bind/b1"))).isTrue();
        assertThat(MountTable.proc().mountOf(Path.of("/"))).isPresent();
    }
}
