package dev.gdkit.testkit.membership;

import static dev.gdkit.testkit.assertions.ClusterAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Five nodes at maximum op-version 1 are restarted one by one as a release with maximum 2 while
 * transactions keep running; the cluster is bumped to 2; a step introduced at 2 works; a node
 * restarted back as the old release is refused at rejoin.
 */
class RollingUpgradeTest {

    @Test
    void rollingUpgradeWhileOperationsRun() throws Exception {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(5).recordingSteps("work")
                .steps((id, disk) -> List.of(Step.of("new-feature", OpVersion.of(2), ctx -> disk.put("feature", "on"), null)))
                .opVersions(id -> OpVersionRange.of(1, 1)).build()) {
            assertThat(c.node(1).maxOpVersion()).isEqualTo(OpVersion.of(1));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                int i = 0;
                while (!stop.get()) {
                    List<NodeId> up = c.ids().stream().filter(c::isRunning).toList();
                    if (up.isEmpty()) {
                        continue;
                    }
                    try {
                        var t = c.transaction("op-" + i++).lock("volume:v" + (i % 3)).step("work", up);
                        TransactionResult r = c.execute(c.node(up.get(i % up.size())), t);
                        (r.committed() ? committed : refused).incrementAndGet();
                    } catch (GdException | IllegalStateException e) {
                        refused.incrementAndGet(); // a node went down between the choice and the call
                    }
                }
            });

            for (NodeId n : c.ids()) {
                c.crash(n);
                c.restart(n, OpVersionRange.of(1, 2), 1, 1);
                awaitAtLeast(committed, committed.get() + 3);
            }
            stop.set(true);
            load.get(30, TimeUnit.SECONDS);
            assertThat(committed.get()).isGreaterThan(10);

            // every node now supports 2, but nothing changed by itself
            assertThat(c.node(3).maxOpVersion()).isEqualTo(OpVersion.of(2));
            assertThat(c.node(3).clusterOpVersion()).isEqualTo(OpVersion.of(1));
            var gated = c.transaction("use-feature").step("new-feature", c.ids());
            assertThatThrownBy(() -> c.execute(c.node(2), gated)).isInstanceOfSatisfying(GdException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_TOO_LOW));

            c.node(4).setClusterOpVersion("2");
            assertThat(c.execute(c.node(2), c.transaction("use-feature").step("new-feature", c.ids())).committed()).isTrue();
            for (NodeId n : c.ids()) {
                assertThat(c.disk(n).get("feature")).isEqualTo("on");
            }

            // a node downgraded back to the old release cannot rejoin, and the cluster is unharmed
            c.crash(c.id(5));
            c.disk(c.id(5)).put("local/" + GdNode.OP_VERSION_KEY, "1"); // even with its record of 2 wiped
            assertThatThrownBy(() -> c.restart(c.id(5), OpVersionRange.of(1, 1), 1, 1)).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_INCOMPATIBLE);
                assertThat(e.getMessage()).contains("n5 cannot rejoin").contains("[1, 1]").contains("op-version 2");
            });
            assertThat(c.node(1).clusterOpVersion()).isEqualTo(OpVersion.of(2));
            c.restart(c.id(5), OpVersionRange.of(1, 2), 1, 1);
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).isConsistent();
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int target) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (counter.get() < target) {
            if (System.nanoTime() > end) {
                throw new AssertionError("operations stopped making progress at " + counter.get());
            }
            Thread.sleep(5);
        }
    }
}
