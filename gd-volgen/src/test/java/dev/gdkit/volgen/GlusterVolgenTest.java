package dev.gdkit.volgen;

import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolfileKind;
import dev.gdkit.core.volgen.VolfileSet;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.graph.Graph;
import dev.gdkit.volgen.graph.VolfileParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlusterVolgenTest {
    private static final GlusterVolgen VOLGEN = GlusterVolgen.standard();
    private static final VolfileParser PARSER = new VolfileParser();

    private static Graph graph(VolfileSet set, String name) {
        return PARSER.parse(set.byName(name).orElseThrow().text());
    }

    @Test
    void outputIsDeterministic() {
        VolgenRequest r = TestVolumes.request(TestVolumes.rep3("'group':'virt','network.ping-timeout':'7'"));
        VolfileSet a = VOLGEN.generate(r);
        VolfileSet b = GlusterVolgen.standard().generate(r);
        assertThat(a).isEqualTo(b);
        assertThat(a.files()).extracting(Volfile::fileName).containsExactly("v.h1.b-1.vol", "v.h2.b-2.vol", "v.h3.b-3.vol",
                "v.tcp-fuse.vol", "trusted-v.tcp-fuse.vol", "v.gfproxyd.vol", "trusted-v.tcp-gfproxy-fuse.vol", "v-shd.vol");
    }

    @Test
    void brickFilesBelongToTheirNodeSelfHealToBrickHostsAndTheRestIsServed() {
        VolfileSet set = VOLGEN.generate(TestVolumes.request(TestVolumes.rep3("")));
        Volfile brick = set.byName("v.h2.b-2.vol").orElseThrow();
        assertThat(brick.kind()).isEqualTo(VolfileKind.BRICK);
        assertThat(brick.placement().nodes()).containsExactly(NodeId.of("h2"));
        assertThat(set.byName("v.tcp-fuse.vol").orElseThrow().placement().isServed()).isTrue();
        assertThat(set.byName("v-shd.vol").orElseThrow().placement().isServed()).isFalse();
        assertThat(set.byName("v-shd.vol").orElseThrow().placement().nodes()).containsExactlyInAnyOrder(NodeId.of("h1"),
                NodeId.of("h2"), NodeId.of("h3"));
        for (String served : List.of("trusted-v.tcp-fuse.vol", "v.gfproxyd.vol", "trusted-v.tcp-gfproxy-fuse.vol")) {
            assertThat(set.byName(served).orElseThrow().placement().isServed()).as(served).isTrue();
        }
        assertThat(set.forNode(NodeId.of("h1"))).extracting(Volfile::fileName).containsExactly("v.h1.b-1.vol", "v-shd.vol");
        assertThat(set.forNode(NodeId.of("h9"))).isEmpty();
    }

    @Test
    void keptFilesAreTheSameFilesRenderedAlone() {
        VolgenRequest r = TestVolumes.request(TestVolumes.rep3("'network.ping-timeout':'7','storage.linux-aio':'on'"));
        VolfileSet all = VOLGEN.generate(r);
        VolfileSet kept = VOLGEN.generateKept(r, java.util.Optional.empty());
        assertThat(kept.files()).containsExactlyElementsOf(all.files().stream().filter(f -> !f.placement().isServed()).toList());
        VolfileSet onH2 = VOLGEN.generateKept(r, java.util.Optional.of(NodeId.of("h2")));
        assertThat(onH2.files()).containsExactlyElementsOf(all.forNode(NodeId.of("h2")));
        assertThat(onH2.files()).extracting(Volfile::fileName).containsExactly("v.h2.b-2.vol", "v-shd.vol");
        assertThat(VOLGEN.generateKept(r, java.util.Optional.of(NodeId.of("h9"))).files()).isEmpty();
        // the request's checks run as for the whole volume
        VolgenRequest bad = VolgenRequest.builder(TestVolumes.rep3("'performance.parallel-readdir':'on'")).clusterOpVersion(OpVersion.of(31000 - 1))
                .credentials("u", "p").build();
        assertThatThrownBy(() -> VOLGEN.generateKept(bad, java.util.Optional.of(NodeId.of("h9"))))
                .isInstanceOfSatisfying(dev.gdkit.api.error.GdException.class, e -> {
                    assertThat(e.code()).isEqualTo(dev.gdkit.api.error.ErrorCode.OP_VERSION_TOO_LOW);
                    assertThat(e.getMessage()).contains("needs cluster op-version").contains("runs at 30999");
                });
    }

    @Test
    void sharedBrickCountFollowsNodeAndFileSystem() {
        Volume v = TestVolumes.volume("{'name':'d','bricks':[{'host':'h1','path':'/a'},{'host':'h1','path':'/b'},"
                + "{'host':'h1','path':'/c'},{'host':'h2','path':'/a'}]}");
        VolfileSet same = VOLGEN.generate(TestVolumes.request(v));
        assertThat(graph(same, "d.h1.a.vol").find("d-posix").orElseThrow().options()).containsEntry("shared-brick-count", "3");
        assertThat(graph(same, "d.h2.a.vol").find("d-posix").orElseThrow().options()).containsEntry("shared-brick-count", "1");
        String idC = v.bricks().get(2).id();
        VolfileSet split = VOLGEN.generate(VolgenRequest.builder(v).credentials("u", "p")
                .brickFilesystems(Map.of(idC, "fs-2")).build());
        assertThat(graph(split, "d.h1.a.vol").find("d-posix").orElseThrow().options()).containsEntry("shared-brick-count", "2");
        assertThat(graph(split, "d.h1.c.vol").find("d-posix").orElseThrow().options()).containsEntry("shared-brick-count", "1");
    }

    @Test
    void clusterOptionsApplyAndVolumeOptionsWin() {
        Volume v = TestVolumes.rep3("'network.ping-timeout':'9'");
        VolfileSet set = VOLGEN.generate(VolgenRequest.builder(v).credentials("u", "p")
                .clusterOptions(Map.of("network.ping-timeout", "30", "performance.io-thread-count", "20")).build());
        Graph fuse = graph(set, "v.tcp-fuse.vol");
        assertThat(fuse.find("v-client-0").orElseThrow().options()).containsEntry("ping-timeout", "9");
        assertThat(graph(set, "v.h1.b-1.vol").find("v-io-threads").orElseThrow().options()).containsEntry("thread-count", "20");
        assertThatThrownBy(() -> VOLGEN.generate(VolgenRequest.builder(v).credentials("u", "p")
                .clusterOptions(Map.of("network.ping-timeout", "-1")).build())).hasMessageContaining("network.ping-timeout");
    }

    @Test
    void opVersionDecidesTranslators() {
        VolfileSet old = VOLGEN.generate(VolgenRequest.builder(TestVolumes.rep3("")).credentials("u", "p")
                .clusterOpVersion(OpVersion.of(40100)).build());
        assertThat(graph(old, "v.tcp-fuse.vol").find("v-utime")).isEmpty();
        VolfileSet now = VOLGEN.generate(TestVolumes.request(TestVolumes.rep3("")));
        assertThat(graph(now, "v.tcp-fuse.vol").find("v-utime")).isPresent();
    }

    @Test
    void refusesOptionsNewerThanTheClusterAndLeavesOutNewerDefaults() {
        Volume v = TestVolumes.rep3("'cluster.use-anonymous-inode':'no'");
        assertThatThrownBy(() -> VOLGEN.generate(VolgenRequest.builder(v).credentials("u", "p")
                .clusterOpVersion(OpVersion.of(80000)).build()))
                .isInstanceOf(dev.gdkit.api.error.GdException.class)
                .hasMessage("option cluster.use-anonymous-inode needs cluster op-version 90000 but the cluster runs at 80000")
                .satisfies(e -> assertThat(((dev.gdkit.api.error.GdException) e).code())
                        .isEqualTo(dev.gdkit.api.error.ErrorCode.OP_VERSION_TOO_LOW));
        VolfileSet old = VOLGEN.generate(VolgenRequest.builder(TestVolumes.rep3("")).credentials("u", "p")
                .clusterOpVersion(OpVersion.of(80000)).build());
        assertThat(graph(old, "v.tcp-fuse.vol").find("v-replicate-0").orElseThrow().options())
                .doesNotContainKey("use-anonymous-inode").containsEntry("use-compound-fops", "off");
    }

    @Test
    void brickPortsAreAvailableToTemplates() {
        Volume v = TestVolumes.rep3("");
        GlusterVolgen withPorts = GlusterVolgen.builder().plugin(t -> t.client() == null ? t
                : t.withClient(t.client().withFixed(Map.of("remote-port", "${brick.port}")))).build();
        VolfileSet set = withPorts.generate(VolgenRequest.builder(v).credentials("u", "p")
                .brickPorts(Map.of(v.bricks().get(0).id(), 49152)).build());
        Graph fuse = graph(set, "v.tcp-fuse.vol");
        assertThat(fuse.find("v-client-0").orElseThrow().options()).containsEntry("remote-port", "49152");
        assertThat(fuse.find("v-client-1").orElseThrow().options()).doesNotContainKey("remote-port");
    }

    @Test
    void concurrentCallsGiveTheSameFiles() throws Exception {
        VolgenRequest r = TestVolumes.request(TestVolumes.rep3("'group':'virt'"));
        VolfileSet expected = VOLGEN.generate(r);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<VolfileSet>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> VOLGEN.generate(r)));
            }
            for (java.util.concurrent.Future<VolfileSet> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void optionsSwitchTranslators() {
        VolfileSet set = VOLGEN.generate(TestVolumes.request(TestVolumes.rep3(
                "'features.shard':'on','performance.nl-cache':'on','features.ctime':'off','performance.stat-prefetch':'off'")));
        Graph fuse = graph(set, "v.tcp-fuse.vol");
        assertThat(fuse.find("v-shard")).isPresent();
        assertThat(fuse.find("v-nl-cache")).isPresent();
        assertThat(fuse.find("v-utime")).isEmpty();
        assertThat(fuse.find("v-md-cache")).isEmpty();
        assertThat(fuse.top().subvolumes()).containsExactly("v-nl-cache");
    }

    private static Volume rawVolume(String name, String host, String path) {
        Brick b = new Brick("b0", NodeId.of("n1"), host, path, dev.gdkit.api.model.BrickType.BRICK);
        return new Volume("vid", name, dev.gdkit.api.model.VolumeType.DISTRIBUTE, "tcp",
                List.of(new Subvolume(name + "-dht", dev.gdkit.api.model.SubvolumeType.DISTRIBUTE, List.of(b), 0, 0, 0, 0)),
                Map.of(), dev.gdkit.api.model.VolumeState.CREATED, Map.of());
    }

    /** Injection: names, paths and values that would break the format never reach a file. */
    @Test
    void refusesNamesAndPathsThatWouldBreakTheVolfileFormat() {
        List<String[]> bad = new ArrayList<>();
        bad.add(new String[] {"v\nend-volume", "h1", "/b", "volume name 'v\\nend-volume' is not valid"});
        bad.add(new String[] {"v x", "h1", "/b", "volume name 'v x' is not valid"});
        bad.add(new String[] {"v#", "h1", "/b", "volume name 'v#' is not valid"});
        bad.add(new String[] {"end-volume", "h1", "/b", "cannot be the name of a volume"});
        bad.add(new String[] {"volume", "h1", "/b", "cannot be the name of a volume"});
        bad.add(new String[] {"v", "h1", "/b\nend-volume", "brick path '/b\\nend-volume' on h1 cannot be used: it contains a line break"});
        bad.add(new String[] {"v", "h1", "/b #x", "it contains white space"});
        bad.add(new String[] {"v", "h1", "/b#x", "it contains '#'"});
        bad.add(new String[] {"v", "h1", "/b\tx", "it contains white space"});
        bad.add(new String[] {"v", "h1", "/b\u00a0x", "it contains white space"});
        bad.add(new String[] {"v", "h1", "/b\"x", "it contains '\"'"});
        bad.add(new String[] {"v", "h1\nvolume", "/b", "brick host 'h1\\nvolume' is not a valid host name"});
        for (String[] c : bad) {
            assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(rawVolume(c[0], c[1], c[2]))))
                    .as(c[3]).hasMessageContaining(c[3]);
        }
    }

    @Test
    void refusesOptionValuesIdsAndSecretsThatWouldBreakTheFormat() {
        Volume v = rawVolume("v", "h1", "/b");
        for (String value : new String[] {"10\nend-volume", "10 # x", "end-volume", "volume", " 10", "10\r\nvolume x"}) {
            assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(v.withOptions(Map.of("network.ping-timeout", value)))))
                    .hasMessageContaining("option network.ping-timeout value '");
        }
        assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(v.withOptions(Map.of("auth.allow", "*\nend-volume")))))
                .hasMessageContaining("option auth.allow");
        assertThatThrownBy(() -> VOLGEN.generate(VolgenRequest.builder(v).credentials("u\nvolume x", "p").build()))
                .hasMessageContaining("auth user");
        assertThatThrownBy(() -> VOLGEN.generate(VolgenRequest.builder(v).credentials("u", "p w").build()))
                .hasMessageContaining("auth password");
        assertThatThrownBy(() -> VOLGEN.generate(VolgenRequest.builder(v).credentials("u", "p").workdir("/var/lib #x").build()))
                .hasMessageContaining("workdir");
        Volume badId = new Volume("id\nend-volume", "v", v.type(), "tcp", v.subvolumes(), Map.of(), v.state(), Map.of());
        assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(badId))).hasMessageContaining("volume id");
        Volume badTransport = new Volume("id", "v", v.type(), "tcp\nx", v.subvolumes(), Map.of(), v.state(), Map.of());
        assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(badTransport))).hasMessageContaining("transport");
    }

    @Test
    void refusesLongNamesEmptyVolumesAndNullOptions() {
        assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(rawVolume("v".repeat(256), "h1", "/b"))))
                .hasMessageContaining("volume name is 256 characters long");
        Volume v = rawVolume("v", "h1", "/b");
        Volume empty = new Volume("id", "v", v.type(), "tcp", List.of(), Map.of(), v.state(), Map.of());
        assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(empty))).hasMessageContaining("has no bricks");
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> new dev.gdkit.volgen.graph.Xlator("a", "t/x", nullValue, List.of()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("value of option k is null");
    }

    @Test
    void refusesBricksThatCollideInFileNames() {
        Volume v = TestVolumes.volume("{'name':'d','bricks':[{'host':'h1','path':'/a-b'},{'host':'h1','path':'/a/b'}]}");
        assertThatThrownBy(() -> VOLGEN.generate(TestVolumes.request(v))).hasMessageContaining("would be named d.h1.a-b.vol");
    }

    @Test
    void everyGeneratedFileParsesBackToItsGraph() {
        VolfileSet set = VOLGEN.generate(TestVolumes.request(TestVolumes.volume(
                "{'name':'dd','create':'disperse 3','bricks':[{'host':'h1','path':'/1'},{'host':'h2','path':'/2'},"
                        + "{'host':'h3','path':'/3'},{'host':'h1','path':'/4'},{'host':'h2','path':'/5'},{'host':'h3','path':'/6'}],"
                        + "'options':{'group':'samba'}}")));
        List<dev.gdkit.volgen.template.GraphGenerator.Rendered> graphs = VOLGEN.graphs(TestVolumes.request(TestVolumes.volume(
                "{'name':'dd','create':'disperse 3','bricks':[{'host':'h1','path':'/1'},{'host':'h2','path':'/2'},"
                        + "{'host':'h3','path':'/3'},{'host':'h1','path':'/4'},{'host':'h2','path':'/5'},{'host':'h3','path':'/6'}],"
                        + "'options':{'group':'samba'}}")));
        assertThat(graphs).hasSize(set.files().size());
        for (int i = 0; i < graphs.size(); i++) {
            assertThat(PARSER.parse(set.files().get(i).text())).isEqualTo(graphs.get(i).graph());
        }
        assertThat(set.byName("dd-rebalance.vol")).isPresent();
    }
}
