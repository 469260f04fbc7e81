package dev.gdkit.zookeeper.ensemble;

import static dev.gdkit.zookeeper.ensemble.TestPool.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.zookeeper.ensemble.TestPool.Node;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The controller with real embedded servers: the pool's ensemble grows with the pool, a voter
 * gone for good is replaced, a removed node's voter is taken out, and a stopped pool restarts
 * from its directories without its first node.
 */
class EnsembleControllerTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static Set<Integer> ids(Node... nodes) {
        Set<Integer> out = new TreeSet<>();
        for (Node n : nodes) {
            out.add(n.serverId());
        }
        return out;
    }

    private static void awaitVoters(TestPool pool, Node via, Node... voters) {
        Set<Integer> want = ids(voters);
        await("voters " + want, WAIT, () -> pool.voters(via).keySet().equals(want)
                && List.of(voters).stream().allMatch(n -> n.controller.status().settled()));
    }

    /** Four nodes: voters 1, 2, 3 and a client. */
    private static List<Node> fourNodes(TestPool pool) {
        Node n1 = pool.bootstrap("n1");
        Node n2 = pool.join("n2");
        Node n3 = pool.join("n3");
        Node n4 = pool.join("n4");
        n4.controller.awaitSettled(WAIT);
        awaitVoters(pool, n1, n1, n2, n3);
        return List.of(n1, n2, n3, n4);
    }

    @Test
    void theEnsembleGrowsOneTwoThreeFiveAsPlanned() {
        try (TestPool pool = new TestPool(Duration.ofSeconds(30))) {
            Node n1 = pool.bootstrap("n1");
            n1.store.put("volumes/v1", "one");
            assertThat(pool.voters(n1)).containsOnlyKeys(1);
            assertThat(n1.mode()).as("a one-node pool runs in quorum mode, not standalone").contains("leader");

            Node n2 = pool.join("n2");
            assertThat(n2.controller.awaitSettled(WAIT)).isTrue();
            assertThat(n2.controller.status().role()).isEqualTo(EnsembleRole.CLIENT);
            assertThat(pool.voters(n1)).as("two nodes: one voter").containsOnlyKeys(1);
            assertThat(n2.mode()).as("the second node runs no server").isEmpty();

            Node n3 = pool.join("n3");
            assertThat(n3.controller.awaitSettled(WAIT)).isTrue();
            awaitVoters(pool, n1, n1, n2, n3);
            assertThat(List.of(n1, n2, n3).stream().map(n -> n.mode().orElse("-")).sorted().toList())
                    .containsExactly("follower", "follower", "leader");

            Node n4 = pool.join("n4");
            assertThat(n4.controller.awaitSettled(WAIT)).isTrue();
            assertThat(n4.controller.status().role()).isEqualTo(EnsembleRole.CLIENT);
            assertThat(pool.voters(n1)).as("four nodes: three voters").hasSize(3);
            assertThat(n4.mode()).isEmpty();

            Node n5 = pool.join("n5");
            assertThat(n5.controller.awaitSettled(WAIT)).isTrue();
            awaitVoters(pool, n1, n1, n2, n3, n4, n5);
            assertThat(List.of(n1, n2, n3, n4, n5).stream().map(n -> n.mode().orElse("-")).filter("leader"::equals)).hasSize(1);
            assertThat(List.of(n1, n2, n3, n4, n5).stream().filter(n -> n.controller.status().driving())).hasSize(1);

            n5.store.put("volumes/v5", "five");
            assertThat(n2.store.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("one");
            assertThat(n5.controller.connectString().split(",")).hasSize(5);
        }
    }

    @Test
    void aVoterGoneForGoodIsReplacedAndTheStoreKeepsCommitting() {
        try (TestPool pool = new TestPool(Duration.ofSeconds(2))) {
            List<Node> four = fourNodes(pool);
            Node n1 = four.get(0);
            Node n2 = four.get(1);
            Node n3 = four.get(2);
            Node n4 = four.get(3);

            n2.stop();
            awaitVoters(pool, n1, n1, n3, n4);
            assertThat(n4.mode()).hasValueSatisfying(m -> assertThat(m).isIn("leader", "follower"));
            n4.store.put("volumes/after-promotion", "x");

            // voter 1 dies too: 3 and 4 are a majority of {1, 3, 4}
            n1.stop();
            n3.store.put("volumes/two-of-three", "y");
            assertThat(n4.store.get("volumes/after-promotion")).isPresent();
            // with 1 gone for good, two nodes are left: one voter, the other stops its server
            await("a single voter", WAIT, () -> pool.voters(n3).size() == 1 && n3.controller.status().settled()
                    && n4.controller.status().settled());
            // a client whose server was just taken out reconnects; a put is idempotent, so retry it as any client would
            await("a put through node 4", WAIT, () -> {
                n4.store.put("volumes/one-voter", "z");
                return true;
            });
            assertThat(n3.store.children("volumes")).hasSize(3);
        }
    }

    @Test
    void aRemovedNodesVoterIsTakenOutAndTheNextNodePromoted() {
        try (TestPool pool = new TestPool(Duration.ofSeconds(30))) {
            List<Node> four = fourNodes(pool);
            Node n1 = four.get(0);
            Node n2 = four.get(1);
            Node n3 = four.get(2);
            Node n4 = four.get(3);

            n1.controller.removeNode("n3");
            awaitVoters(pool, n1, n1, n2, n4);
            await("n3 knows it was removed", WAIT, () -> n3.controller.status().removed());
            assertThat(n3.mode()).as("the removed node's server stopped").isEmpty();
            assertThat(n1.store.get("ensemble/nodes/n3")).isEmpty();
            assertThat(n1.store.get("ensemble/ids/" + 3)).isEmpty();
            n2.store.put("volumes/v", "still committing");
        }
    }

    @Test
    void aStoppedPoolRestartsFromItsDirectoriesWithoutItsFirstNode() {
        try (TestPool pool = new TestPool(Duration.ofSeconds(30))) {
            Node n1 = pool.bootstrap("n1");
            Node n2 = pool.join("n2");
            Node n3 = pool.join("n3");
            n3.controller.awaitSettled(WAIT);
            awaitVoters(pool, n1, n1, n2, n3);
            n1.store.put("volumes/v1", "before");
            for (Node n : List.of(n3, n2, n1)) {
                n.stop();
            }

            // nodes 2 and 3 come back on their own: they know the voters, and are two of three
            List<CompletableFuture<Node>> starts = List.of(CompletableFuture.supplyAsync(n2::restart),
                    CompletableFuture.supplyAsync(n3::restart));
            starts.forEach(CompletableFuture::join);
            assertThat(n2.store.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("before");
            n3.store.put("volumes/v2", "after");
            assertThat(pool.voters(n2)).containsOnlyKeys(1, 2, 3);
        }
    }
}
