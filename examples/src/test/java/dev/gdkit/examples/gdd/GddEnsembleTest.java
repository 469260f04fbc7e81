package dev.gdkit.examples.gdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gdkit.testkit.assertions.Eventually;
import dev.gdkit.zookeeper.ensemble.EnsembleRole;
import dev.gdkit.zookeeper.ensemble.EnsembleStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gdd pools whose ZooKeeper ensemble follows their membership (in-JVM nodes on 127.3.0.x with
 * kernel-chosen ports and simulated bricks): a three-node pool keeps working through node 2 when
 * node 1 dies; a two-node pool stops, restarts from its work directories and makes progress; a
 * removed peer loses its vote. Needs root for the bricks' trusted.* attributes.
 */
class GddEnsembleTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    @TempDir
    Path dir;
    private final List<Gdd> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        GddTesting.stopAll(nodes, dir);
    }

    private GddSettings settings(int i) {
        return GddSettings.builder("127.3.0." + i, dir.resolve("node" + i)).restPort(0).peerPort(0).storePort(0).quorumPort(0)
                .electionPort(0).voterGrace(Duration.ofSeconds(3)).simulateBricks(true).build();
    }

    private List<Gdd> pool(int size) {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: bricks need trusted.* extended attributes");
        for (int i = 1; i <= size; i++) {
            nodes.add(new Gdd(settings(i)).start());
        }
        for (int i = 2; i <= size; i++) {
            Http.Resp added = http(nodes.get(0)).post("/v1/peers", "{\"addresses\":[\"127.3.0." + i + ":" + nodes.get(i - 1).restPort() + "\"]}");
            assertThat(added.status()).as(added.body()).isEqualTo(201);
        }
        return nodes;
    }

    private static Http http(Gdd g) {
        return new Http(g.settings().host(), g.restPort());
    }

    private Http.Resp createVolume(Gdd via, String name, Gdd brickNode) {
        return http(via).post("/v1/volumes", "{\"name\":\"" + name + "\",\"subvols\":[{\"type\":\"distribute\",\"bricks\":[{\"peerid\":\""
                + brickNode.id().value() + "\",\"path\":\"" + dir.resolve("bricks/" + name) + "\"}]}],"
                + "\"flags\":{\"create-brick-dir\":true,\"allow-root-dir\":true}}");
    }

    private static Http.Resp setOption(Gdd via, String volume, String value) {
        return http(via).post("/v1/volumes/" + volume + "/options", "{\"options\":{\"performance.cache-size\":\"" + value + "\"}}");
    }

    private static Set<Integer> voters(Gdd g) {
        return g.ensembleStatus().config().orElseThrow().ids();
    }

    private static void await(String what, BooleanSupplier condition) {
        Eventually.await(what, WAIT, condition);
    }

    private static void awaitVoters(int count, List<Gdd> among) {
        await(count + " voters", () -> among.stream().allMatch(g -> voters(g).size() == count && g.ensembleStatus().settled()));
    }

    @Test
    void threeNodePoolKeepsWorkingThroughNodeTwoWhenNodeOneDies() {
        List<Gdd> p = pool(3);
        Gdd n1 = p.get(0);
        Gdd n2 = p.get(1);
        Gdd n3 = p.get(2);
        awaitVoters(3, p);
        assertThat(p.stream().map(g -> g.ensembleStatus().role()).toList()).containsOnly(EnsembleRole.VOTER);
        assertThat(n2.storeConnect().split(",")).hasSize(3);
        Http.Resp created = createVolume(n2, "v1", n2);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        n1.closeAndStopDaemons();

        // two of the three voters serve: the store, reads and operations whose steps run on live
        // nodes go on at once through node 2 (a brick-side option touches only v1's brick node)
        assertThat(http(n2).get("/v1/volumes/v1").status()).isEqualTo(200);
        Http.Resp set = http(n2).post("/v1/volumes/v1/options", "{\"options\":{\"storage.linux-aio\":\"on\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(http(n3).get("/v1/volumes/v1/options/storage.linux-aio").json().path("value").asText()).isEqualTo("on");

        // a client-side option changes only served graphs: no step on any node, so node 1's absence does not matter
        Http.Resp clientSide = setOption(n3, "v1", "32MB");
        assertThat(clientSide.status()).as(clientSide.body()).isEqualTo(200);
        assertThat(http(n2).get("/v1/volumes/v1/volfiles/v1.tcp-fuse.vol").body()).contains("option cache-size 32MB");

        // node 1 is gone for good after the grace: the two survivors get one voter
        awaitVoters(1, List.of(n2, n3));
        // operations that write volfiles on every member need node 1 back, or out of the pool
        Http.Resp removed = http(n2).delete("/v1/peers/" + n1.id().value(), null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        Http.Resp second = createVolume(n2, "v2", n3);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        Http.Resp cache = setOption(n3, "v1", "64MB");
        assertThat(cache.status()).as(cache.body()).isEqualTo(200);
        assertThat(http(n2).get("/v1/volumes").json().size()).isEqualTo(2);
    }

    @Test
    void aFreshNodeFormsNoPoolUntilAskedAndJoinsWithoutOneOfItsOwn() {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: bricks need trusted.* extended attributes");
        Gdd n1 = new Gdd(settings(1)).start();
        nodes.add(n1);
        Gdd n2 = new Gdd(settings(2)).start();
        nodes.add(n2);
        assertThat(http(n1).get("/v1/version").status()).isEqualTo(200);
        assertThat(n1.pooled()).as("a version probe forms no pool").isFalse();
        assertThat(n2.pooled()).isFalse();
        assertThat(n2.peerAddress()).contains("opens when the node forms or joins a pool");

        // a join with a bad token fails and leaves node 2 without a pool, as it was
        Gdd.Invite good = n1.invite();
        assertThat(n1.pooled()).as("inviting needs a pool").isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> n2.join(new Gdd.Invite(good.store(), good.user(), good.password(),
                good.member(), "not-a-token"))).isInstanceOf(dev.gdkit.api.error.GdException.class);
        assertThat(n2.pooled()).isFalse();

        Http.Resp added = http(n1).post("/v1/peers", "{\"addresses\":[\"127.3.0.2:" + n2.restPort() + "\"]}");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(n2.pooled()).isTrue();
        assertThat(http(n2).get("/v1/peers").json().size()).isEqualTo(2);
        // node 2 is a ZooKeeper client of node 1's one voter: it never ran a server of its own
        assertThat(n2.ensembleStatus().role()).isEqualTo(EnsembleRole.CLIENT);
        assertThat(dir.resolve("node2/zookeeper/data/version-2")).doesNotExist();
    }

    @Test
    void aFreshNodeAskedForItsPeersFormsItsPoolOfOne() {
        Gdd n = new Gdd(settings(1)).start();
        nodes.add(n);
        assertThat(n.pooled()).isFalse();
        Http.Resp peers = http(n).get("/v1/peers");
        assertThat(peers.status()).as(peers.body()).isEqualTo(200);
        assertThat(peers.json().size()).isEqualTo(1);
        assertThat(n.pooled()).isTrue();
        assertThat(n.ensembleStatus().role()).isEqualTo(EnsembleRole.VOTER);
    }

    @Test
    void everyNodeServesTheNewClientVolfileRightAfterAChangeOnAnother() {
        List<Gdd> p = pool(3);
        awaitVoters(3, p);
        Http.Resp created = createVolume(p.get(1), "v", p.get(1));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        for (int i = 1; i <= 15; i++) {
            Http.Resp set = setOption(p.get(0), "v", (4 + i) + "MB");
            assertThat(set.status()).as(set.body()).isEqualTo(200);
            for (Gdd g : p) {
                Http.Resp f = http(g).get("/v1/volumes/v/volfiles/v.tcp-fuse.vol");
                assertThat(f.status()).as(f.body()).isEqualTo(200);
                assertThat(f.body()).as("node " + g.id()).contains("option cache-size " + (4 + i) + "MB");
            }
        }
        Http.Resp names = http(p.get(2)).get("/v1/volumes/v/volfiles");
        assertThat(names.status()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        names.json().forEach(n -> listed.add(n.asText()));
        assertThat(listed).contains("v.tcp-fuse.vol", "trusted-v.tcp-fuse.vol");
        // the client graphs are on no disk; the brick's graph is on its node's disk only
        for (int i = 0; i < 3; i++) {
            Path vols = dir.resolve("node" + (i + 1)).resolve("vols").resolve("v");
            assertThat(vols.resolve("v.tcp-fuse.vol")).doesNotExist();
            assertThat(java.nio.file.Files.exists(vols) && hasBrickFile(vols)).as("node " + (i + 1) + " keeps the brick graph")
                    .isEqualTo(i == 1);
        }
        Http.Resp missing = http(p.get(0)).get("/v1/volumes/v/volfiles/nothing.vol");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("nothing.vol").contains("v.tcp-fuse.vol");
        assertThat(http(p.get(0)).get("/v1/volumes/none/volfiles/v.tcp-fuse.vol").status()).isEqualTo(404);
    }

    private static boolean hasBrickFile(Path vols) {
        try (var l = java.nio.file.Files.list(vols)) {
            return l.anyMatch(f -> f.getFileName().toString().startsWith("v.") && !f.getFileName().toString().startsWith("v.tcp"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void twoNodePoolStopsRestartsAndMakesProgress() {
        List<Gdd> p = pool(2);
        awaitVoters(1, p);
        Gdd n1 = p.get(0);
        Gdd n2 = p.get(1);
        assertThat(n1.ensembleStatus().role()).isEqualTo(EnsembleRole.VOTER);
        assertThat(n2.ensembleStatus().role()).as("the second node of two is a client").isEqualTo(EnsembleRole.CLIENT);
        assertThat(n2.ensembleStatus().serverRunning()).isFalse();
        Http.Resp created = createVolume(n2, "v1", n2);
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        n2.close();
        n1.close();
        nodes.clear();

        // both start again at once from their work directories (each start waits for the voter)
        List<CompletableFuture<Gdd>> starts = List.of(CompletableFuture.supplyAsync(() -> new Gdd(settings(2)).start()),
                CompletableFuture.supplyAsync(() -> new Gdd(settings(1)).start()));
        starts.forEach(f -> nodes.add(f.join()));
        Gdd again2 = nodes.get(0);
        Gdd again1 = nodes.get(1);
        assertThat(again2.id()).isEqualTo(n2.id());
        Http.Resp set = setOption(again2, "v1", "16MB");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        Http.Resp second = createVolume(again1, "v2", again2);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(http(again2).get("/v1/volumes").json().size()).isEqualTo(2);
        assertThat(http(again1).get("/v1/peers").json().size()).isEqualTo(2);
        awaitVoters(1, nodes);
        EnsembleStatus s2 = again2.ensembleStatus();
        assertThat(s2.role()).isEqualTo(EnsembleRole.CLIENT);
    }

    @Test
    void aRemovedPeerLosesItsVote() {
        List<Gdd> p = pool(3);
        awaitVoters(3, p);
        Gdd n3 = p.get(2);
        Http.Resp removed = http(p.get(0)).delete("/v1/peers/" + n3.id().value(), null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);

        // a pool of two has one voter; the removed node stops its server
        awaitVoters(1, p.subList(0, 2));
        await("node 3 knows it was removed", () -> n3.ensembleStatus().removed());
        assertThat(n3.ensembleStatus().serverRunning()).isFalse();
        Http.Resp created = createVolume(p.get(1), "v1", p.get(1));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
