package dev.gdkit.testkit.transaction;

import static dev.gdkit.testkit.assertions.ClusterAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.core.transaction.NodeOutcome.Outcome;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.junit.SimulatedClusterExtension;
import dev.gdkit.testkit.junit.SimulatedClusterExtension.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SimulatedClusterExtension.class)
class TransactionCommitTest {

    @Test
    void threeStepsOnThreeNodesCommitEverywhere(@Cluster(nodes = 3, steps = {"a", "b", "c"}) SimulatedCluster c) {
        var t = c.transaction("demo").lock("volume:v1").step("a", c.ids()).step("b", c.id(2)).step("c", c.ids());
        TransactionResult r = c.execute(c.node(1), t);

        assertThat(r.status()).isEqualTo(TransactionResult.Status.COMMITTED);
        assertThat(r.error()).isEmpty();
        assertThat(r.outcomes()).hasSize(7).allMatch(o -> o.outcome() == Outcome.SUCCEEDED);
        assertThat(r.context()).containsEntry("a@n1", "done").containsEntry("b@n2", "done").containsEntry("c@n3", "done");
        assertThat(c).hasCommitted(t.id()).isConsistent();
        assertThat(c.disk(c.id(2)).under("applied/" + t.id() + "/").keySet()).hasSize(3);
        assertThat(c.disk(c.id(1)).under("applied/" + t.id() + "/").keySet()).hasSize(2);
    }

    @Test
    void anyNodeCanCoordinate(@Cluster(nodes = 3, steps = {"a"}) SimulatedCluster c) {
        for (int i = 1; i <= 3; i++) {
            var t = c.transaction("demo-" + i).lock("volume:v").step("a", c.ids());
            assertThat(c.execute(c.node(i), t).committed()).isTrue();
        }
        assertThat(c).isConsistent();
    }

    @Test
    void transactionWithoutLocksCommits(@Cluster(nodes = 2, steps = {"a"}) SimulatedCluster c) {
        var t = c.transaction("no-locks").step("a", c.ids());
        assertThat(c.execute(c.node(2), t).committed()).isTrue();
        assertThat(c).hasCommitted(t.id()).isConsistent();
    }
}
