package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.Gd2Json;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.gd2.VolumeInfo;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.VolumeKeys;
import dev.gdkit.core.volume.brick.BrickPreparer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VolumeCreateTest {
    @BeforeEach
    void needXattrs() {
        Xattrs.assumeAvailable();
    }

    @Test
    void replicaThreeIsStoredPreparedAndRenderedOnEveryNode() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            Volume v = c.service(1).create(CreateVolumeRequest.builder("rep3").replica(3)
                    .bricks(List.of(c.brick(1, "r"), c.brick(2, "r"), c.brick(3, "r"))).build());

            assertThat(v.type()).isEqualTo(VolumeType.REPLICATE);
            assertThat(v.state()).isEqualTo(VolumeState.CREATED);
            Volume stored = Json.read(c.cluster().node(2).store().get(VolumeKeys.volume("rep3")).orElseThrow().value(), Volume.class);
            assertThat(stored).isEqualTo(v);
            for (int i = 1; i <= 3; i++) {
                assertThat(Xattrs.volumeId(c.brickPath(i, "r"))).contains(BrickPreparer.xattrValue(v.id()));
                List<String> files = c.plugin(c.cluster().id(i)).volfiles().list("rep3");
                // the self-heal graph is kept where a brick is; client graphs are served, on no disk
                assertThat(files).contains("rep3-shd.vol").doesNotContain("rep3.tcp-fuse.vol", "trusted-rep3.tcp-fuse.vol");
                assertThat(c.service(i).volfileNames("rep3")).contains("rep3.tcp-fuse.vol", "trusted-rep3.tcp-fuse.vol",
                        "rep3-shd.vol").containsAll(files);
                // each node holds its own brick volfile only
                assertThat(files.stream().filter(f -> f.contains("-bricks-r.vol"))).singleElement()
                        .satisfies(f -> assertThat(f).startsWith("rep3.n"));
            }
            VolumeInfo info = c.service(3).info("rep3");
            assertThat(info.replicaCount()).isEqualTo(3);
            assertThat(info.state()).isEqualTo("Created");
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void everyLayoutGetsItsSubvolumesAndCounts() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(6).build()) {
            var s = c.service(1);
            Volume dist = s.create(CreateVolumeRequest.builder("dist").bricks(List.of(c.brick(1, "d"), c.brick(2, "d"), c.brick(3, "d"))).build());
            assertThat(dist.type()).isEqualTo(VolumeType.DISTRIBUTE);
            assertThat(dist.subvolumes()).singleElement().satisfies(sv -> assertThat(sv.bricks()).hasSize(3));
            assertThat(VolumeInfo.of(dist).distributeCount()).isEqualTo(3);

            Volume arb = s.create(CreateVolumeRequest.builder("arb").replica(3).arbiter(1)
                    .bricks(List.of(c.brick(1, "a1"), c.brick(2, "a1"), c.brick(3, "a1"), c.brick(4, "a2"), c.brick(5, "a2"), c.brick(6, "a2")))
                    .build());
            assertThat(arb.type()).isEqualTo(VolumeType.DISTRIBUTED_REPLICATE);
            assertThat(arb.subvolumes()).hasSize(2).allSatisfy(sv -> {
                assertThat(sv.replicaCount()).isEqualTo(3);
                assertThat(sv.arbiterCount()).isEqualTo(1);
                assertThat(sv.bricks().get(2).type()).isEqualTo(BrickType.ARBITER);
                assertThat(sv.bricks().subList(0, 2)).allSatisfy(b -> assertThat(b.type()).isEqualTo(BrickType.BRICK));
            });
            assertThat(arb.subvolumes().get(1).name()).isEqualTo("arb-replicate-1");

            Volume ec = s.create(CreateVolumeRequest.builder("ec").disperse(6).redundancy(2)
                    .bricks(List.of(c.brick(1, "e"), c.brick(2, "e"), c.brick(3, "e"), c.brick(4, "e"), c.brick(5, "e"), c.brick(6, "e")))
                    .build());
            assertThat(ec.type()).isEqualTo(VolumeType.DISPERSE);
            assertThat(VolumeInfo.of(ec).disperseCount()).isEqualTo(6);
            assertThat(VolumeInfo.of(ec).disperseRedundancy()).isEqualTo(2);

            // disperse 6 without redundancy: the CLI's optimal value, 2
            Volume ec2 = s.create(CreateVolumeRequest.builder("ec2").disperse(6)
                    .bricks(List.of(c.brick(1, "f"), c.brick(2, "f"), c.brick(3, "f"), c.brick(4, "f"), c.brick(5, "f"), c.brick(6, "f")))
                    .build());
            assertThat(ec2.subvolumes().get(0).redundancy()).isEqualTo(2);

            Volume dr = s.create(CreateVolumeRequest.builder("dr").replica(3)
                    .bricks(List.of(c.brick(1, "x"), c.brick(2, "x"), c.brick(3, "x"), c.brick(4, "x"), c.brick(5, "x"), c.brick(6, "x")))
                    .build());
            assertThat(dr.type()).isEqualTo(VolumeType.DISTRIBUTED_REPLICATE);
            assertThat(VolumeInfo.of(dr).distributeCount()).isEqualTo(2);

            Volume dd = s.create(CreateVolumeRequest.builder("dd").disperse(3).redundancy(1)
                    .bricks(List.of(c.brick(1, "y"), c.brick(2, "y"), c.brick(3, "y"), c.brick(4, "y"), c.brick(5, "y"), c.brick(6, "y")))
                    .build());
            assertThat(dd.type()).isEqualTo(VolumeType.DISTRIBUTED_DISPERSE);
            assertThat(s.list()).extracting(Volume::name).containsExactlyInAnyOrder("dist", "arb", "ec", "ec2", "dr", "dd");
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    @Test
    void glusterd2RequestCreatesTheSameVolume() {
        try (VolumeCluster c = VolumeCluster.builder().nodes(3).build()) {
            String p1 = c.brickPath(1, "g").toString();
            c.brick(1, "g");
            c.brick(2, "g");
            c.brick(3, "g");
            String json = "{\"name\":\"gd2vol\",\"subvols\":[{\"type\":\"replicate\",\"replica\":2,\"arbiter\":1,\"bricks\":["
                    + "{\"peerid\":\"n1\",\"path\":\"" + p1 + "\"},{\"peerid\":\"n2\",\"path\":\"" + c.brickPath(2, "g") + "\"},"
                    + "{\"peerid\":\"n3\",\"path\":\"" + c.brickPath(3, "g") + "\",\"type\":\"arbiter\"}]}],"
                    + "\"options\":{\"performance.read-ahead\":\"off\"},\"flags\":{\"create-brick-dir\":true},\"metadata\":{\"owner\":\"qa\"}}";
            VolCreateRequest req = new Gd2Json().read(json, VolCreateRequest.class);
            Volume v = c.service(2).create(req);
            assertThat(v.subvolumes()).singleElement().satisfies(sv -> {
                assertThat(sv.replicaCount()).isEqualTo(3);
                assertThat(sv.arbiterCount()).isEqualTo(1);
                assertThat(sv.bricks().get(2).type()).isEqualTo(BrickType.ARBITER);
            });
            assertThat(v.options()).containsEntry("performance.read-ahead", "off");
            assertThat(v.metadata()).isEqualTo(Map.of("owner", "qa"));
            VolumeInfo info = c.service(1).info("gd2vol");
            assertThat(info.arbiterCount()).isEqualTo(1);
            assertThat(new Gd2Json().write(info)).contains("\"replica-count\":3").contains("\"type\":\"Arbiter\"");
            assertThat(Files.isDirectory(c.brickPath(3, "g"))).isTrue();
        }
    }

    @Test
    void undoRecordsOfCommittedTransactionsArePrunedAfterTheGrace() throws Exception {
        for (java.time.Duration grace : List.of(java.time.Duration.ZERO, java.time.Duration.ofMinutes(10))) {
            try (VolumeCluster c = VolumeCluster.builder().nodes(2).undoRecordGrace(grace).build()) {
                c.service(1).create(CreateVolumeRequest.builder("a").brick(c.brick(1, "a")).brick(c.brick(2, "a")).build());
                c.service(2).create(CreateVolumeRequest.builder("b").brick(c.brick(1, "b")).brick(c.brick(2, "b")).build());
                for (int i = 1; i <= 2; i++) {
                    try (var s = Files.list(c.workdir(c.cluster().id(i)).resolve("undo"))) {
                        // the running step prunes what is over; its own records stay until the next one
                        assertThat(s.count()).as("grace " + grace).isEqualTo(grace.isZero() ? 1 : 2);
                    }
                }
            }
        }
    }
}
