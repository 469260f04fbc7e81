package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.opversion.OpVersionPolicy;
import dev.gdkit.core.volume.CreateVolumeRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Options: set, get, reset, groups, validation, volfiles rewritten where needed, op-version gating.
 * Ports glusterd's optimized-basic-testcases.t (group file, reset keeps transport.address-family,
 * min-free-disk formats, boolean features.uss, self-heal keys refused on distribute),
 * add-brick-and-validate-replicated-volume-options.t (post-op-delay-secs range) and
 * validating-options-for-replicated-volume.t (group virt, empty values refused).
 */
class VolumeOptionsTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }


    private static OpVersion clusterVersion(VolumeCluster c) {
        return c.cluster().node(1).membership().clusterOpVersion();
    }

    @Test
    void aSetThatFailsOnOneNodeLeavesEveryNodesVolfilesAsTheyWereAndNoUndoRecords() throws Exception {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            var s = c.service(1);
            s.setOptions("v", Map.of("storage.linux-aio", "off"));
            Map<Integer, Map<String, String>> before = new java.util.HashMap<>();
            Map<Integer, List<java.nio.file.Path>> undoBefore = new java.util.HashMap<>();
            for (int i = 1; i <= 3; i++) {
                undoBefore.put(i, undoRecords(c, i));
                var dir = c.plugin(c.cluster().id(i)).volfiles();
                Map<String, String> files = new java.util.TreeMap<>();
                dir.list("v").forEach(f -> files.put(f, dir.read("v", f)));
                before.put(i, files);
            }
            // node 2 cannot write its brick volfile: the temporary file's name is taken by a directory
            java.nio.file.Path vols = c.workdir(c.cluster().id(2)).resolve("vols").resolve("v");
            String brickFile = before.get(2).keySet().stream().filter(f -> f.startsWith("v.n")).findFirst().orElseThrow();
            java.nio.file.Files.createDirectories(vols.resolve(brickFile + ".tmp").resolve("x"));
            assertThatThrownBy(() -> s.setOptions("v", Map.of("storage.linux-aio", "on"))).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.nodeErrors()).singleElement().satisfies(ne -> {
                        assertThat(ne.node()).isEqualTo(c.cluster().id(2).value());
                        assertThat(ne.step()).isEqualTo("volume.write-volfiles");
                    }));
            for (int i = 1; i <= 3; i++) {
                var dir = c.plugin(c.cluster().id(i)).volfiles();
                Map<String, String> files = new java.util.TreeMap<>();
                dir.list("v").forEach(f -> files.put(f, dir.read("v", f)));
                assertThat(files).as("volfiles of node " + i).isEqualTo(before.get(i));
                assertThat(undoRecords(c, i)).as("undo records of node " + i + " (the create's may remain)").isEqualTo(undoBefore.get(i));
            }
            assertThat(s.getOption("v", "storage.linux-aio").value()).isEqualTo("off");
            assertThat(c.cluster().checker().check()).isEmpty();

            // once the obstacle is gone the same set goes through everywhere
            java.nio.file.Files.delete(vols.resolve(brickFile + ".tmp").resolve("x"));
            java.nio.file.Files.delete(vols.resolve(brickFile + ".tmp"));
            s.setOptions("v", Map.of("storage.linux-aio", "on"));
            for (int i = 1; i <= 3; i++) {
                var dir = c.plugin(c.cluster().id(i)).volfiles();
                String mine = dir.list("v").stream().filter(f -> f.startsWith("v.n")).findFirst().orElseThrow();
                assertThat(dir.read("v", mine)).contains("option linux-aio on");
            }
        }
    }

    private static List<java.nio.file.Path> undoRecords(VolumeCluster c, int node) throws java.io.IOException {
        java.nio.file.Path undo = c.workdir(c.cluster().id(node)).resolve("undo");
        if (!java.nio.file.Files.isDirectory(undo)) {
            return List.of();
        }
        try (var l = java.nio.file.Files.walk(undo)) {
            return l.sorted().toList();
        }
    }

    @Test
    void setGetResetAndGroups() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            var s = c.service(2);
            OptionValue before = s.getOption("v", "performance.read-ahead");
            assertThat(before.isDefault()).isTrue();
            assertThat(c.service(3).volfile("v", "v.tcp-fuse.vol")).doesNotContain("performance/read-ahead");
            s.setOptions("v", Map.of("performance.read-ahead", "on"));
            OptionValue after = s.getOption("v", "performance.read-ahead");
            assertThat(after.value()).isEqualTo("on");
            assertThat(after.isDefault()).isFalse();
            assertThat(after.defaultValue()).isEqualTo(before.defaultValue());
            assertThat(c.service(3).volfile("v", "v.tcp-fuse.vol")).contains("performance/read-ahead");

            // group virt applies all its keys in one change
            Volume virt = s.setOptions("v", Map.of("group", "virt"));
            assertThat(virt.options()).containsEntry("features.shard", "on").containsEntry("cluster.quorum-type", "auto")
                    .containsEntry("performance.quick-read", "off");
            assertThat(s.getOptions("v")).filteredOn(o -> o.key().equals("features.shard")).singleElement()
                    .satisfies(o -> assertThat(o.isDefault()).isFalse());

            // reset one key, several keys, all
            s.resetOptions("v", List.of("features.shard"));
            assertThat(s.getOption("v", "features.shard").isDefault()).isTrue();
            s.resetOptions("v", List.of("cluster.quorum-type", "performance.quick-read"));
            assertThat(s.get("v").options()).doesNotContainKeys("cluster.quorum-type", "performance.quick-read");
            Volume reset = s.resetAllOptions("v");
            // what glusterd sets at create time stays (reset keeps transport.address-family and the like)
            assertThat(reset.options()).isEqualTo(c.service(1).get("v").options()).containsKey("performance.client-io-threads")
                    .doesNotContainKeys("features.shard", "performance.read-ahead");
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void invalidValuesAreRefusedNamingTheKeyAndChangeNothing() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volume v = Volumes.rep3(c, "v");
            var s = c.service(1);
            for (Map.Entry<String, String> bad : List.of(Map.entry("cluster.post-op-delay-secs", "abc"),
                    Map.entry("cluster.post-op-delay-secs", "-1"), Map.entry("cluster.post-op-delay-secs", "2147483648"),
                    Map.entry("cluster.post-op-delay-secs", "1.25"), Map.entry("cluster.min-free-disk", "123%"),
                    Map.entry("features.uss", "maybe"), Map.entry("cluster.data-self-heal-algorithm", "sometimes"),
                    Map.entry("performance.cache-size", ""),
                    Map.entry("performance.io-cache-size", " "), Map.entry("no.such.key", "1"))) {
                assertThatThrownBy(() -> s.setOptions("v", Map.of(bad.getKey(), bad.getValue())))
                        .as(bad.toString()).isInstanceOfSatisfying(GdException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                            assertThat(e.getMessage()).contains(bad.getKey().equals("no.such.key") ? "no.such.key" : bad.getKey());
                        });
            }
            for (String ok : List.of("12%", "56.7%", "120")) {
                s.setOptions("v", Map.of("cluster.min-free-disk", ok));
            }
            s.setOptions("v", Map.of("cluster.post-op-delay-secs", "2147483647"));
            assertThat(s.get("v").id()).isEqualTo(v.id());
            assertThatThrownBy(() -> s.setOptions("missing", Map.of("performance.read-ahead", "off")))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThatThrownBy(() -> s.getOption("v", "no.such.key")).isInstanceOf(GdException.class);
        }
    }

    @Test
    void selfHealKeysAreRefusedOnDistribute() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(2).build()) {
            c.service(1).create(CreateVolumeRequest.builder("d").brick(c.brick(1, "d")).brick(c.brick(2, "d")).build());
            for (String k : List.of("cluster.data-self-heal", "cluster.metadata-self-heal", "cluster.entry-self-heal")) {
                assertThatThrownBy(() -> c.service(2).setOptions("d", Map.of(k, "on"))).isInstanceOfSatisfying(GdException.class,
                        e -> assertThat(e.getMessage()).contains(k));
            }
        }
    }

    @Test
    void volfilesAreRewrittenOnExactlyTheNodesThatNeedThemAndRunningDaemonsReload() {
        RecordingDaemons d = new RecordingDaemons();
        try (VolumeCluster c = VolumeCluster.builder().nodes(4).daemons(d).build()) {
            // bricks on n1..n3 only; n4 keeps the volume-wide files
            Volumes.rep3(c, "v");
            c.service(1).start("v");
            c.service(4).setOptions("v", Map.of("storage.linux-aio", "on"));
            assertThat(d.reloads()).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("v.n").endsWith("-v.vol"));
            assertThat(d.reloads()).hasSize(3);
            d.calls.clear();
            c.service(4).setOptions("v", Map.of("performance.read-ahead", "on"));
            // only served client graphs change: a store commit, no node's disk, nothing to reload
            assertThat(d.reloads()).isEmpty();
            assertThat(c.service(4).volfile("v", "v.tcp-fuse.vol")).contains("performance/read-ahead");
            d.calls.clear();
            c.service(4).setOptions("v", Map.of("cluster.self-heal-window-size", "8"));
            // the self-heal graph is kept on the three brick hosts: reloaded there, not on n4
            assertThat(d.reloads()).containsExactly("v-shd.vol", "v-shd.vol", "v-shd.vol");
            assertThat(c.plugin(c.cluster().id(4)).volfiles().list("v")).isEmpty();
            d.calls.clear();
            c.service(4).setOptions("v", Map.of("user.owner", "qa"));
            assertThat(d.reloads()).isEmpty();
            assertThat(c.service(2).getOption("v", "user.owner").value()).isEqualTo("qa");
        }
    }

    @Test
    void aKeyAboveTheClusterVersionRaisesItWhenEveryPeerAllowsAndFollowUsageLowersItOnReset() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volumes.rep3(c, "v");
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(1));
            c.service(2).setOptions("v", Map.of("performance.parallel-readdir", "on"));
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(31000));
            // the volfiles were rendered at the raised version
            assertThat(c.service(1).volfile("v", "v.tcp-fuse.vol")).contains("parallel-readdir on");
            c.service(3).resetOptions("v", List.of("performance.parallel-readdir"));
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(1));
            // deleting the last volume that needs a version lowers it too
            c.service(2).setOptions("v", Map.of("performance.parallel-readdir", "on"));
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(31000));
            c.service(1).delete("v");
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(1));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void neverLowerKeepsTheRaisedVersionAfterReset() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).policy(OpVersionPolicy.neverLower()).build()) {
            Volumes.rep3(c, "v");
            c.service(2).setOptions("v", Map.of("performance.parallel-readdir", "on"));
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(31000));
            c.service(3).resetAllOptions("v");
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(31000));
        }
    }

    @Test
    void aKeyAboveWhatAPeerSupportsIsRefusedNamingItAndNothingChanges() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3)
                .opVersions(id -> id.value().equals("n3") ? OpVersionRange.of(1, 30000) : OpVersionRange.of(1, 100000)).build()) {
            Volume v = Volumes.rep3(c, "v");
            String fuse = c.service(1).volfile("v", "v.tcp-fuse.vol");
            assertThatThrownBy(() -> c.service(1).setOptions("v", Map.of("performance.parallel-readdir", "on", "performance.read-ahead", "off")))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_TOO_LOW);
                        assertThat(e.getMessage()).contains("option performance.parallel-readdir of volume v needs op-version 31000")
                                .contains("n3 (supports at most 30000)");
                        assertThat(e.remedy()).contains("upgrade n3");
                    });
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(1));
            assertThat(c.service(2).get("v").options()).isEqualTo(v.options());
            assertThat(c.service(1).volfile("v", "v.tcp-fuse.vol")).isEqualTo(fuse);
            // a key n3 supports still raises the version as far as needed
            c.service(1).setOptions("v", Map.of("cluster.post-op-delay-secs", "2"));
            assertThat(clusterVersion(c)).isEqualTo(OpVersion.of(2));
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }
}
