package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.volume.BrickFlags;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.VolumeKeys;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every create rule checked before a transaction starts: the bad input, the error code, and a
 * message that names the value and says how to fix it. Nothing reaches the store or a brick.
 * Ports glusterd's tests/basic/glusterd/disperse-create.t, bug-1091935 (brick order) and
 * bug-1085330 (long names) where they apply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeCreateRulesTest {
    private VolumeCluster c;

    @BeforeAll
    void start() {
        c = VolumeCluster.builder().nodes(6).build();
    }

    @AfterAll
    void stop() {
        c.close();
    }

    private List<String> bricks(int n, String tag) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> c.brick((i - 1) % 6 + 1, tag + i)).toList();
    }

    Stream<Arguments> badRequests() {
        return Stream.of(
                bad("empty name", b -> CreateVolumeRequest.builder("").bricks(bricks(1, "a")), ErrorCode.INVALID_ARGUMENT, "empty"),
                bad("slash in name", b -> CreateVolumeRequest.builder("a/b").bricks(bricks(1, "a")), ErrorCode.INVALID_ARGUMENT,
                        "'a/b' contains characters other than letters, digits"),
                bad("dot in name", b -> CreateVolumeRequest.builder("a.b").bricks(bricks(1, "a")), ErrorCode.INVALID_ARGUMENT, "'a.b'"),
                bad("leading dash", b -> CreateVolumeRequest.builder("-vol").bricks(bricks(1, "a")), ErrorCode.INVALID_ARGUMENT,
                        "starts with '-'"),
                bad("too long (bug-1085330)", b -> CreateVolumeRequest.builder("v".repeat(129)).bricks(bricks(1, "a")),
                        ErrorCode.INVALID_ARGUMENT, "129 characters long; the limit is 128"),
                bad("reserved all", b -> CreateVolumeRequest.builder("all").bricks(bricks(1, "a")), ErrorCode.INVALID_ARGUMENT,
                        "\"all\" cannot be the name of a volume"),
                bad("reserved FORCE any case", b -> CreateVolumeRequest.builder("Force").bricks(bricks(1, "a")),
                        ErrorCode.INVALID_ARGUMENT, "reserves"),
                bad("replica 1", b -> CreateVolumeRequest.builder("r1").replica(1).bricks(bricks(1, "a")), ErrorCode.INVALID_ARGUMENT,
                        "replica count 1 is not valid"),
                bad("replica 3, 2 bricks (glusterd commits a broken volume)", b -> CreateVolumeRequest.builder("bad1").replica(3)
                        .bricks(bricks(2, "a")), ErrorCode.INVALID_ARGUMENT, "2 bricks do not make whole sets for replica 3"),
                bad("arbiter with replica 4", b -> CreateVolumeRequest.builder("a4").replica(4).arbiter(1).bricks(bricks(4, "a")),
                        ErrorCode.INVALID_ARGUMENT, "replica 3 arbiter 1"),
                bad("arbiter 2", b -> CreateVolumeRequest.builder("a2").replica(3).arbiter(2).bricks(bricks(3, "a")),
                        ErrorCode.INVALID_ARGUMENT, "arbiter 2"),
                bad("disperse 2", b -> CreateVolumeRequest.builder("d2").disperse(2).bricks(bricks(2, "a")),
                        ErrorCode.INVALID_ARGUMENT, "disperse count 2 is too small"),
                bad("disperse 4 redundancy 2", b -> CreateVolumeRequest.builder("d4").disperse(4).redundancy(2).bricks(bricks(4, "a")),
                        ErrorCode.INVALID_ARGUMENT, "redundancy 2 is not valid for disperse 4"),
                bad("redundancy above data", b -> CreateVolumeRequest.builder("d6").disperse(6).redundancy(4).bricks(bricks(6, "a")),
                        ErrorCode.INVALID_ARGUMENT, "redundancy 4"),
                bad("disperse brick count not a multiple", b -> CreateVolumeRequest.builder("d3").disperse(3).bricks(bricks(4, "a")),
                        ErrorCode.INVALID_ARGUMENT, "4 bricks do not make whole sets for disperse 3"),
                bad("replica and disperse", b -> CreateVolumeRequest.builder("rd").replica(3).disperse(3).bricks(bricks(3, "a")),
                        ErrorCode.INVALID_ARGUMENT, "replicated-dispersed volumes are not supported"),
                bad("redundancy only with replica", b -> CreateVolumeRequest.builder("rr").replica(2).redundancy(1).bricks(bricks(2, "a")),
                        ErrorCode.INVALID_ARGUMENT, "replicated-dispersed"),
                bad("no bricks", b -> CreateVolumeRequest.builder("nob"), ErrorCode.INVALID_ARGUMENT, "no bricks given"),
                bad("no host", b -> CreateVolumeRequest.builder("nh").brick("/bricks/b1"), ErrorCode.INVALID_ARGUMENT,
                        "is not HOST:/absolute/path"),
                bad("relative path", b -> CreateVolumeRequest.builder("rp").brick("n1:bricks/b1"), ErrorCode.INVALID_ARGUMENT,
                        "is not HOST:/absolute/path"),
                bad("localhost", b -> CreateVolumeRequest.builder("lh").brick("localhost:/bricks/b1"), ErrorCode.INVALID_ARGUMENT,
                        "loopback"),
                bad("127.0.0.1", b -> CreateVolumeRequest.builder("lh").brick("127.0.0.1:/bricks/b1"), ErrorCode.INVALID_ARGUMENT,
                        "loopback"),
                bad("0.0.0.0", b -> CreateVolumeRequest.builder("lh").brick("0.0.0.0:/bricks/b1"), ErrorCode.INVALID_ARGUMENT, "loopback"),
                bad("unknown host (bug-1091935)", b -> CreateVolumeRequest.builder("uh").brick("nosuchhost:/bricks/b1"),
                        ErrorCode.NODE_NOT_IN_CLUSTER, "'nosuchhost'"),
                bad("dot-dot path", b -> CreateVolumeRequest.builder("dd").brick("n1:/bricks/../etc"), ErrorCode.INVALID_ARGUMENT,
                        "not in normal form"),
                bad("space in path", b -> CreateVolumeRequest.builder("sp").brick("n1:/bricks/a b"), ErrorCode.INVALID_ARGUMENT,
                        "white space"),
                bad("path too long (bug-1085330)", b -> CreateVolumeRequest.builder("pl").brick("n1:/" + "x".repeat(4100)),
                        ErrorCode.INVALID_ARGUMENT, "the limit is 4095"),
                bad("volfile name too long (bug-1085330)", b -> CreateVolumeRequest.builder("vf").brick("n1:/" + "y".repeat(250)),
                        ErrorCode.INVALID_ARGUMENT, "volfile name"),
                bad("duplicate brick", b -> CreateVolumeRequest.builder("dup").brick("n1:/bricks/b1").brick("n1:/bricks/b1"),
                        ErrorCode.INVALID_ARGUMENT, "is given twice (bricks 1 and 2)"),
                bad("nested bricks", b -> CreateVolumeRequest.builder("nest").brick("n1:/bricks/b1").brick("n1:/bricks/b1/sub"),
                        ErrorCode.INVALID_ARGUMENT, "is inside brick n1:/bricks/b1"),
                bad("same host in replica set (bug-1091935)", b -> CreateVolumeRequest.builder("order").replica(3)
                        .bricks(List.of(c.brick(1, "o1"), c.brick(1, "o2"), c.brick(2, "o3"))), ErrorCode.INVALID_ARGUMENT,
                        "of replica set 1 are on the same node n1"),
                bad("same host in disperse set", b -> CreateVolumeRequest.builder("order2").disperse(3)
                        .bricks(List.of(c.brick(1, "o1"), c.brick(2, "o2"), c.brick(2, "o3"))), ErrorCode.INVALID_ARGUMENT,
                        "of disperse set 1 are on the same node n2"),
                bad("reserved metadata key", b -> CreateVolumeRequest.builder("md").bricks(bricks(1, "m")).metadata("_x", "1"),
                        ErrorCode.INVALID_ARGUMENT, "metadata key '_x'"),
                bad("metadata above 4 KiB", b -> CreateVolumeRequest.builder("md2").bricks(bricks(1, "m")).metadata("k", "v".repeat(4096)),
                        ErrorCode.INVALID_ARGUMENT, "the limit is 4096"),
                bad("unknown option", b -> CreateVolumeRequest.builder("opt").bricks(bricks(1, "o")).option("no.such-option", "1"),
                        ErrorCode.INVALID_ARGUMENT, "no.such-option"),
                bad("bad option value", b -> CreateVolumeRequest.builder("opt2").bricks(bricks(1, "o")).option("performance.read-ahead", "maybe"),
                        ErrorCode.INVALID_ARGUMENT, "maybe"),
                bad("replicate option on distribute", b -> CreateVolumeRequest.builder("opt3").bricks(bricks(1, "o"))
                        .option("cluster.data-self-heal", "on"), ErrorCode.INVALID_ARGUMENT, "cluster.data-self-heal"),
                bad("transport", b -> CreateVolumeRequest.builder("tr").transport("udp").bricks(bricks(1, "t")),
                        ErrorCode.INVALID_ARGUMENT, "transport 'udp'"));
    }

    private static Arguments bad(String what, Function<Void, CreateVolumeRequest.Builder> req, ErrorCode code, String text) {
        return Arguments.of(what, req, code, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusedBeforeAnythingChanges(String what, Function<Void, CreateVolumeRequest.Builder> req, ErrorCode code, String text) {
        CreateVolumeRequest r = req.apply(null).build();
        assertThatThrownBy(() -> c.service(1).create(r)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(text).doesNotContain("Failed to create volume files");
            assertThat(e.remedy()).isNotBlank();
        });
        assertThat(c.cluster().node(1).store().children(VolumeKeys.VOLUMES)).isEmpty();
        assertThat(c.cluster().node(1).store().children(VolumeKeys.REPORTS)).isEmpty();
        assertThat(c.cluster().checker().check()).isEmpty();
    }

    @Test
    void forceAllowsSameHostInOneSetAndNothingElse() {
        Xattrs.assumeAvailable();
        var r = CreateVolumeRequest.builder("forced").replica(3).flags(BrickFlags.forced())
                .bricks(List.of(c.brick(4, "f1"), c.brick(4, "f2"), c.brick(5, "f3"))).build();
        assertThat(c.service(2).create(r).bricks()).hasSize(3);
        // duplicate name, and bricks already used by a volume, are refused whatever the flags
        assertThatThrownBy(() -> c.service(3).create(CreateVolumeRequest.builder("forced").flags(BrickFlags.forced())
                .brick(c.brick(6, "other")).build())).isInstanceOfSatisfying(GdException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                    assertThat(e.getMessage()).contains("volume forced already exists");
                });
        assertThatThrownBy(() -> c.service(3).create(CreateVolumeRequest.builder("again").flags(BrickFlags.forced())
                .brick(c.brick(4, "f1")).build())).isInstanceOfSatisfying(GdException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                    assertThat(e.getMessage()).contains("is already a brick of volume forced");
                });
        assertThatThrownBy(() -> c.service(3).create(CreateVolumeRequest.builder("again").flags(BrickFlags.forced())
                .brick(c.brick(4, "f1/sub")).build())).isInstanceOfSatisfying(GdException.class, e -> {
                    assertThat(e.getMessage()).contains("is inside brick").contains("of volume forced");
                });
        c.service(1).delete("forced");
        assertThat(Files.exists(c.brickPath(4, "f1"))).isTrue();
    }

    private static dev.gdkit.api.gd2.VolCreateRequest gd2(String json) {
        return new dev.gdkit.api.gd2.Gd2Json().read(json.replace('\'', '"'), dev.gdkit.api.gd2.VolCreateRequest.class);
    }

    @Test
    void glusterd2RequestsAreCheckedToo() {
        record Case(String json, ErrorCode code, String text) {
        }
        List<Case> cases = List.of(
                new Case("{'name':'g1','subvols':[]}", ErrorCode.INVALID_ARGUMENT, "has no subvols"),
                new Case("{'name':'g2','subvols':[{'type':'replicate','replica':2,'bricks':[{'peerid':'n1','path':'/b/1'},"
                        + "{'peerid':'n2','path':'/b/1'}]},{'type':'replicate','replica':3,'bricks':[{'peerid':'n1','path':'/b/2'},"
                        + "{'peerid':'n2','path':'/b/2'},{'peerid':'n3','path':'/b/2'}]}]}", ErrorCode.INVALID_ARGUMENT,
                        "differ in type or counts"),
                new Case("{'name':'g3','subvols':[{'type':'distribute','bricks':[{'peerid':'nope','path':'/b/1'}]}]}",
                        ErrorCode.NODE_NOT_IN_CLUSTER, "names peer nope, which is not a member"),
                new Case("{'name':'g4','subvols':[{'type':'replicate','replica':2,'arbiter':1,'bricks':[{'peerid':'n1','path':'/b/1',"
                        + "'type':'arbiter'},{'peerid':'n2','path':'/b/1'},{'peerid':'n3','path':'/b/1'}]}]}",
                        ErrorCode.INVALID_ARGUMENT, "is an arbiter but not the last brick"),
                new Case("{'name':'g5','flags':{'reuse-brick':true},'subvols':[{'type':'distribute','bricks':[{'peerid':'n1',"
                        + "'path':'/b/1'}]}]}", ErrorCode.INVALID_ARGUMENT, "unknown brick flag 'reuse-brick'"),
                new Case("{'name':'g6','subvols':[{'type':'stripe','bricks':[{'peerid':'n1','path':'/b/1'}]}]}",
                        ErrorCode.INVALID_ARGUMENT, "subvol type 'stripe' is not known"),
                new Case("{'name':'g7','subvols':[{'type':'disperse','disperse-data':2,'disperse-redundancy':2,'bricks':["
                        + "{'peerid':'n1','path':'/b/1'},{'peerid':'n2','path':'/b/1'},{'peerid':'n3','path':'/b/1'},"
                        + "{'peerid':'n4','path':'/b/1'}]}]}", ErrorCode.INVALID_ARGUMENT, "redundancy 2 is not valid for disperse 4"));
        for (Case k : cases) {
            assertThatThrownBy(() -> c.service(1).create(gd2(k.json()))).as(k.json()).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(k.code());
                assertThat(e.getMessage()).contains(k.text());
                assertThat(e.remedy()).isNotBlank();
            });
        }
        assertThat(c.cluster().node(1).store().children(VolumeKeys.VOLUMES)).noneMatch(v -> v.name().startsWith("g"));
    }
}
