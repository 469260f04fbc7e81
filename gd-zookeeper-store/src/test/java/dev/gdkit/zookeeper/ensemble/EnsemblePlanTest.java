package dev.gdkit.zookeeper.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.GdException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnsemblePlanTest {
    @Test
    void sizeIsOneForUpToTwoNodesThreeForUpToFourFiveBeyond() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 9).stream().map(EnsemblePlan::targetSize).toList()).containsExactly(0, 1, 1, 3, 3, 5, 5);
    }

    @Test
    void theFirstNodesToJoinBecomeVoters() {
        assertThat(EnsemblePlan.of(List.of(1), Set.of(), Set.of()).add()).containsExactly(1);
        EnsemblePlan two = EnsemblePlan.of(List.of(1, 2), Set.of(), Set.of(1));
        assertThat(two.isEmpty()).as("a second node stays a client").isTrue();
        EnsemblePlan three = EnsemblePlan.of(List.of(1, 2, 3), Set.of(), Set.of(1));
        assertThat(three.voters()).containsExactly(1, 2, 3);
        assertThat(three.add()).containsExactly(2, 3);
        assertThat(three.remove()).isEmpty();
        EnsemblePlan five = EnsemblePlan.of(List.of(1, 2, 3, 4, 5, 6), Set.of(), Set.of(1, 2, 3));
        assertThat(five.add()).containsExactly(4, 5);
        assertThat(five.voters()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aVoterGoneForGoodIsReplacedByTheNextNodeInJoinOrder() {
        EnsemblePlan p = EnsemblePlan.of(List.of(1, 2, 3, 4), Set.of(2), Set.of(1, 2, 3));
        assertThat(p.voters()).containsExactly(1, 3, 4);
        assertThat(p.add()).containsExactly(4);
        assertThat(p.remove()).containsExactly(2);
    }

    @Test
    void livingVotersAreKeptEvenWhenEarlierNodesCouldServe() {
        // node 2 came back as a plain member after 4 replaced it: no churn
        EnsemblePlan p = EnsemblePlan.of(List.of(1, 2, 3, 4), Set.of(), Set.of(1, 3, 4));
        assertThat(p.isEmpty()).isTrue();
    }

    @Test
    void shrinkingToTwoNodesLeavesOneVoter() {
        EnsemblePlan p = EnsemblePlan.of(List.of(1, 2, 3), Set.of(3), Set.of(1, 2, 3));
        assertThat(p.voters()).containsExactly(1);
        assertThat(p.remove()).containsExactly(2, 3);
    }

    @Test
    void downNodesCountButAreNotChosenAndTheEnsembleDoesNotGrowToAnEvenSize() {
        // node 3 is down (not gone): a pool of three still, but only 1 and 2 could vote: stay at one voter
        EnsemblePlan p = EnsemblePlan.of(List.of(1, 2, 3), Set.of(), Set.of(3), Set.of(1));
        assertThat(p.isEmpty()).isTrue();
        // five nodes, 5 down: voters stay three rather than four
        EnsemblePlan q = EnsemblePlan.of(List.of(1, 2, 3, 4, 5), Set.of(), Set.of(5), Set.of(1, 2, 3));
        assertThat(q.isEmpty()).isTrue();
        // a voter that is down but not gone keeps its vote
        EnsemblePlan r = EnsemblePlan.of(List.of(1, 2, 3, 4), Set.of(), Set.of(2), Set.of(1, 2, 3));
        assertThat(r.isEmpty()).isTrue();
        // the next available node is chosen over a down one
        EnsemblePlan s = EnsemblePlan.of(List.of(1, 2, 3, 4, 5), Set.of(2), Set.of(4), Set.of(1, 2, 3));
        assertThat(s.voters()).containsExactly(1, 3, 5);
        assertThat(s.add()).containsExactly(5);
        assertThat(s.remove()).containsExactly(2);
    }

    @Test
    void badInputIsRefused() {
        assertThat(catchThrowable(() -> EnsemblePlan.of(List.of(1, 1), Set.of(), Set.of()))).isInstanceOf(GdException.class)
                .hasMessageContaining("[1, 1]");
        assertThat(catchThrowable(() -> EnsemblePlan.of(List.of(1, 2), Set.of(), Set.of(7)))).isInstanceOf(GdException.class)
                .hasMessageContaining("voter 7");
    }

    @Test
    void configurationLinesParseToVoters() {
        String cfg = "server.1=127.0.0.1:1:2:participant;127.0.0.1:3\nserver.2=127.0.0.1:4:5:participant;127.0.0.1:6\n"
                + "server.9=127.0.0.1:7:8:observer;127.0.0.1:9\nversion=100000000\n";
        assertThat(EnsembleReconfigurer.parse(cfg)).containsOnlyKeys(1, 2);
    }
}
