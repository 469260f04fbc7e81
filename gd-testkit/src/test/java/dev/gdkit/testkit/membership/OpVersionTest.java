package dev.gdkit.testkit.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.opversion.ClusterVersions;
import dev.gdkit.core.opversion.OpVersionPolicy;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpVersionTest {
    private static SimulatedCluster cluster(int n, int max) {
        return SimulatedCluster.builder().nodes(n).opVersions(id -> OpVersionRange.of(1, max)).build();
    }

    private static Map<String, Object> versionsEverywhere(SimulatedCluster c) {
        return Map.of("cluster", c.node(1).clusterOpVersion(), "store", c.store().snapshot(c.namespace()).get("cluster/info"));
    }

    @Test
    void aNewClusterRunsAtTheFirstNodesMinimumAndNodesPersistTheirVersion() {
        try (SimulatedCluster c = cluster(3, 5)) {
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(1));
            assertThat(c.node(2).maxOpVersion()).isEqualTo(OpVersion.of(5));
            assertThat(c.disk(c.id(2)).get("local/" + GdNode.OP_VERSION_KEY)).isEqualTo("1");
        }
    }

    @Test
    void maxOpVersionIsTheLowestMaximumAmongPeers() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3)
                .opVersions(id -> OpVersionRange.of(1, id.value().equals("n2") ? 3 : 7)).build()) {
            assertThat(c.node(1).maxOpVersion()).isEqualTo(OpVersion.of(3));
            assertThat(c.node(3).maxOpVersion()).isEqualTo(OpVersion.of(3));
        }
    }

    @Test
    void explicitBumpRaisesTheClusterAndEveryNodesPersistedVersion() throws Exception {
        try (SimulatedCluster c = cluster(3, 4)) {
            assertThat(c.node(2).setClusterOpVersion("3")).isEqualTo(OpVersion.of(3));
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(3));
            for (NodeId n : c.ids()) {
                long end = System.nanoTime() + 5_000_000_000L;
                while (!"3".equals(c.disk(n).get("local/" + GdNode.OP_VERSION_KEY)) && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertThat(c.disk(n).get("local/" + GdNode.OP_VERSION_KEY)).isEqualTo("3");
            }
        }
    }

    @Test
    void explicitBumpRefusalsChangeNothing() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3)
                .opVersions(id -> OpVersionRange.of(1, id.value().equals("n3") ? 2 : 5)).build()) {
            c.node(1).setClusterOpVersion("2");
            awaitAllPeerRecordsAt(c, 2);
            var before = c.store().snapshot(c.namespace());
            // GD1's regression cases: "72-000", 00000, lowering, equal, above the max
            assertRefused(c, "72-000", ErrorCode.INVALID_ARGUMENT, "whole number", "72-000");
            assertRefused(c, "00000", ErrorCode.INVALID_ARGUMENT, "at least 1");
            assertRefused(c, "", ErrorCode.INVALID_ARGUMENT, "whole number");
            assertRefused(c, "1", ErrorCode.INVALID_ARGUMENT, "not above", "current op-version 2");
            assertRefused(c, "2", ErrorCode.INVALID_ARGUMENT, "not above");
            assertRefused(c, "1002", ErrorCode.OP_VERSION_TOO_LOW, "n3 (supports at most 2)");
            assertRefused(c, "3", ErrorCode.OP_VERSION_TOO_LOW, "n3", "cannot be raised");
            assertThat(c.store().snapshot(c.namespace())).isEqualTo(before);
            assertThat(c.node(2).clusterOpVersion()).isEqualTo(OpVersion.of(2));
        }
    }

    private static void assertRefused(SimulatedCluster c, String value, ErrorCode code, String... mentions) {
        assertThatThrownBy(() -> c.node(1).setClusterOpVersion(value)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            for (String m : mentions) {
                assertThat(e.getMessage()).contains(m);
            }
            assertThat(e.remedy()).isNotBlank();
        });
    }

    @Test
    void aJoinerThatCannotRunTheClusterVersionIsRefusedWithBothRangesAndNothingChanges() {
        try (SimulatedCluster c = cluster(2, 3)) {
            c.node(1).setClusterOpVersion("3");
            awaitAllPeerRecordsAt(c, 3);
            var before = c.store().snapshot(c.namespace());
            GdNode old = c.addUnjoinedNode(OpVersionRange.of(1, 2), 1, 1);
            assertThatThrownBy(() -> old.join(c.node(1).address())).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_INCOMPATIBLE);
                assertThat(e.getMessage()).contains("[1, 2]").contains("op-version 3");
                assertThat(e.remedy()).contains("upgrade");
            });
            assertThat(c.store().snapshot(c.namespace())).isEqualTo(before);
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(3));
            c.discard(old.id());
        }
    }

    @Test
    void aJoinerRaisesItsVersionToTheClustersAndNeverLowersIt() {
        try (SimulatedCluster c = cluster(2, 5)) {
            c.node(1).setClusterOpVersion("4");
            GdNode fresh = c.addUnjoinedNode(OpVersionRange.of(2, 5), 1, 1);
            assertThat(fresh.currentOpVersion()).isEqualTo(OpVersion.of(2));
            fresh.join(c.node(2).address());
            assertThat(fresh.currentOpVersion()).isEqualTo(OpVersion.of(4));
            assertThat(c.disk(fresh.id()).get("local/" + GdNode.OP_VERSION_KEY)).isEqualTo("4");
        }
    }

    @Test
    void aNodeThatCannotRunTheClusterVersionIsRefusedAtRejoin() {
        try (SimulatedCluster c = cluster(3, 2)) {
            c.crash(c.id(3));
            c.node(1).setClusterOpVersion("2");   // n3 is down but its release supports 2, so the bump is allowed
            assertThatThrownBy(() -> c.restart(c.id(3), OpVersionRange.of(1, 1), 1, 1))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_INCOMPATIBLE);
                        assertThat(e.getMessage()).contains("n3 cannot rejoin").contains("[1, 1]").contains("op-version 2");
                        assertThat(e.remedy()).contains("upgrade");
                    });
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(2));
            assertThat(c.disk(c.id(3)).get("local/" + GdNode.OP_VERSION_KEY)).isEqualTo("1");
            // the right release rejoins
            c.restart(c.id(3), OpVersionRange.of(1, 2), 1, 1);
            assertThat(c.node(3).currentOpVersion()).isEqualTo(OpVersion.of(2));
        }
    }

    @Test
    void aNodeThatAlreadyRanAHigherVersionRefusesToStartAsAnOlderRelease() {
        try (SimulatedCluster c = cluster(3, 2)) {
            c.node(1).setClusterOpVersion("2");
            awaitAllPeerRecordsAt(c, 2);
            c.crash(c.id(3));
            assertThatThrownBy(() -> c.restart(c.id(3), OpVersionRange.of(1, 1), 1, 1))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_INCOMPATIBLE);
                        assertThat(e.getMessage()).contains("n3").contains("already run at op-version 2").contains("[1, 1]");
                    });
            assertThat(c.disk(c.id(3)).get("local/" + GdNode.OP_VERSION_KEY)).isEqualTo("2");
        }
    }

    static void awaitAllPeerRecordsAt(SimulatedCluster c, int v) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (c.node(1).store().children("peers").stream()
                .anyMatch(r -> !r.valueAsString().contains("\"currentOpVersion\":" + v))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("peers did not all record op-version " + v);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void protocolMismatchIsRefusedAndRetriedUntilTheClusterSpeaksIt() throws Exception {
        try (SimulatedCluster c = cluster(2, 1)) {
            GdNode newer = c.addUnjoinedNode(OpVersionRange.of(1, 1), 2, 2);
            assertThatThrownBy(() -> newer.join(c.node(1).address())).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_UNSUPPORTED);
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("protocol 2").contains("1 to 1");
            });
            GdNode older = c.addUnjoinedNode(OpVersionRange.of(1, 1), 1, 1);
            // members that speak 2 and 3 only refuse a protocol-1 joiner for good
            c.crash(c.id(2));
            c.restart(c.id(2), OpVersionRange.of(1, 1), 2, 3);
            assertThatThrownBy(() -> older.join(c.node(2).address())).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
                assertThat(e.remedy()).contains("upgrade node n4");
            });
            // the newer node joins through the upgraded member
            newer.join(c.node(2).address());
            assertThat(c.node(1).peers()).extracting(p -> p.id().value()).contains("n3");
            c.discard(older.id());
        }
    }

    @Test
    void aRetryingJoinerGetsInOnceTheMemberIsUpgraded() throws Exception {
        try (SimulatedCluster c = cluster(1, 1)) {
            GdNode joiner = GdNode.builder().id(NodeId.of("late")).store(c.store().connect(c.namespace()))
                    .transport(c.network().transport("late")).protocols(2, 2)
                    .joinRetry(new dev.gdkit.core.node.JoinRetry(50, java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(100)))
                    .build().start();
            try {
                var joined = java.util.concurrent.CompletableFuture.supplyAsync(() -> joiner.join("inproc://n1"));
                Thread.sleep(150);
                assertThat(joined).isNotDone();
                c.crash(c.id(1));
                c.restart(c.id(1), OpVersionRange.of(1, 1), 1, 2);
                assertThat(joined.get(10, java.util.concurrent.TimeUnit.SECONDS).clusterOpVersion()).isEqualTo(OpVersion.of(1));
                assertThat(c.node(1).peers()).extracting(p -> p.id().value()).contains("late");
            } finally {
                joiner.close();
            }
        }
    }

    @Test
    void settingAFeatureAboveTheClusterVersionRaisesItInTheSameCommitOrFailsNamingBlockers() {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3)
                .opVersions(id -> OpVersionRange.of(1, id.value().equals("n3") ? 2 : 4)).build()) {
            ClusterVersions versions = c.node(1).versions();
            // allowed: 2 <= every maximum
            commitUsage(c, "vol1", Optional.empty(), Optional.of(OpVersion.of(2)));
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(2));
            awaitAllPeerRecordsAt(c, 2);
            // refused: n3 supports at most 2; the usage and the version stay as they were
            var before = c.store().snapshot(c.namespace());
            assertThatThrownBy(() -> commitUsage(c, "vol2", Optional.empty(), Optional.of(OpVersion.of(4))))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_TOO_LOW);
                        assertThat(e.getMessage()).contains("n3 (supports at most 2)").contains("vol2");
                    });
            assertThat(c.store().snapshot(c.namespace())).isEqualTo(before);
            assertThat(versions.highestInUse()).isEqualTo(OpVersion.of(2));
        }
    }

    @Test
    void followUsageLowersWhenTheLastUserGoesNeverLowerDoesNot() {
        try (SimulatedCluster c = cluster(2, 5)) {
            commitUsage(c, "vol1", Optional.empty(), Optional.of(OpVersion.of(3)));
            commitUsage(c, "vol2", Optional.empty(), Optional.of(OpVersion.of(5)));
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(5));
            commitUsage(c, "vol2", Optional.of(OpVersion.of(5)), Optional.empty());
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(3));
            commitUsage(c, "vol1", Optional.of(OpVersion.of(3)), Optional.empty());
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(1));

            ClusterVersions gd1 = new ClusterVersions(c.node(1).store(), OpVersionPolicy.neverLower());
            c.node(1).store().commit(gd1.usageChanged(gd1.read(), "vol3", Optional.empty(), Optional.of(OpVersion.of(4)), "test"));
            c.node(1).store().commit(gd1.usageChanged(gd1.read(), "vol3", Optional.of(OpVersion.of(4)), Optional.empty(), "test"));
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(4));
        }
    }

    private static void commitUsage(SimulatedCluster c, String volume, Optional<OpVersion> before, Optional<OpVersion> now) {
        ClusterVersions v = c.node(1).versions();
        c.node(1).transactions().execute(Transaction.builder("volume-set").lock("volume:" + volume)
                .commit(ctx -> v.usageChanged(v.read(), volume, before, now, "setting options on volume " + volume))
                .build()).orThrow();
    }
}
