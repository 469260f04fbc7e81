package dev.gdkit.testkit.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeersTest {

    @Test
    void aPeerIsAddedThroughAnyMemberAndListedEverywhere() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a").build()) {
            GdNode newcomer = c.addUnjoinedNode(OpVersionRange.of(1, 1), 1, 1);
            Peer p = c.node(3).addPeer(newcomer.address(), Duration.ofSeconds(5));

            assertThat(p.id()).isEqualTo(newcomer.id());
            assertThat(p.state()).isEqualTo(PeerState.CONNECTED);
            for (NodeId n : c.ids()) {
                assertThat(c.node(n).peers()).extracting(Peer::id).contains(newcomer.id()).hasSize(4);
                // the watch-fed view catches up with the store
                List<NodeId> stored = c.node(n).peers().stream().map(Peer::id).toList();
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!new java.util.HashSet<>(c.node(n).membership().peersView().stream().map(Peer::id).toList())
                        .equals(new java.util.HashSet<>(stored)) && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                assertThat(c.node(n).membership().peersView()).extracting(Peer::id).containsExactlyInAnyOrderElementsOf(stored);
            }
            // the new member runs steps like any other
            var t = c.transaction("t").step("a", c.ids());
            assertThat(c.execute(c.node(4), t).committed()).isTrue();
            // adding it again is a no-op that answers with the same peer
            assertThat(c.node(1).addPeer(newcomer.address(), Duration.ofSeconds(5)).id()).isEqualTo(newcomer.id());
        }
    }

    @Test
    void addingAnAddressWhereNothingRunsFailsClearly() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(2).build()) {
            assertThatThrownBy(() -> c.node(1).addPeer("inproc://nobody", Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
                        assertThat(e.getMessage()).contains("inproc://nobody");
                    });
            assertThatThrownBy(() -> c.node(1).addPeer(c.node(1).address(), Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("this node"));
        }
    }

    @Test
    void statesFollowLivenessAndRemoval() throws Exception {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).build()) {
            c.crash(c.id(3));
            awaitState(c, c.id(3), PeerState.UNREACHABLE);
            c.restart(c.id(3));
            awaitState(c, c.id(3), PeerState.CONNECTED);

            c.node(1).removePeer(c.id(3));
            assertThat(stateOf(c.node(2), c.id(3))).isEqualTo(PeerState.LEFT);
            // a removed peer is no longer a valid target
            assertThat(c.node(1).membership().isMember(c.id(3))).isFalse();
        }
    }

    @Test
    void removingAPeerThatHostsBricksIsRefusedNamingTheVolumes() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).build()) {
            storeVolume(c, "vol-a", c.id(2));
            storeVolume(c, "vol-b", c.id(2));
            storeVolume(c, "vol-c", c.id(3));
            var before = c.store().snapshot(c.namespace());

            assertThatThrownBy(() -> c.node(1).removePeer(c.id(2))).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                assertThat(e.getMessage()).contains("n2").contains("vol-a").contains("vol-b").doesNotContain("vol-c");
                assertThat(e.remedy()).contains("replace-brick").contains("remove-brick");
            });
            assertThat(c.store().snapshot(c.namespace())).isEqualTo(before);
            assertThat(stateOf(c.node(1), c.id(2))).isEqualTo(PeerState.CONNECTED);
        }
    }

    @Test
    void removalErrors() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(2).build()) {
            assertThatThrownBy(() -> c.node(1).removePeer(c.id(1))).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.getMessage()).contains("itself"));
            assertThatThrownBy(() -> c.node(1).removePeer(NodeId.of("ghost"))).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                assertThat(e.getMessage()).contains("ghost");
            });
            c.node(1).removePeer(c.id(2));
            assertThatThrownBy(() -> c.node(1).removePeer(c.id(2))).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    @Test
    void aRemovedNodeDoesNotComeBackOnRestart() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).build()) {
            c.node(1).removePeer(c.id(3));
            c.crash(c.id(3));
            c.restart(c.id(3));
            assertThat(stateOf(c.node(1), c.id(3))).isEqualTo(PeerState.LEFT);
            assertThat(c.node(1).membership().isAliveInStore(c.id(3))).isFalse();
        }
    }

    static void storeVolume(SimulatedCluster c, String name, NodeId host) {
        Volume v = new Volume("id-" + name, name, VolumeType.DISTRIBUTE, "tcp",
                List.of(new Subvolume(name + "-dht", SubvolumeType.DISTRIBUTE,
                        List.of(new Brick("b-" + name, host, host.value(), "/bricks/" + name, BrickType.BRICK)), 0, 0, 0, 0)),
                Map.of(), VolumeState.CREATED, Map.of());
        c.node(1).store().create(GdNode.VOLUMES + "/" + name, Json.write(v));
    }

    static PeerState stateOf(GdNode viewer, NodeId id) {
        return viewer.peers().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow().state();
    }

    static void awaitState(SimulatedCluster c, NodeId id, PeerState s) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (stateOf(c.node(1), id) != s) {
            if (System.nanoTime() > end) {
                throw new AssertionError(id + " never became " + s);
            }
            Thread.sleep(10);
        }
    }
}
