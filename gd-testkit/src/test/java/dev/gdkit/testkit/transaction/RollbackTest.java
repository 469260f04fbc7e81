package dev.gdkit.testkit.transaction;

import static dev.gdkit.testkit.assertions.ClusterAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transaction.NodeOutcome;
import dev.gdkit.core.transaction.NodeOutcome.Outcome;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.steps.StepFaults;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RollbackTest {
    private static final List<String> STEPS = List.of("s0", "s1", "s2", "s3");

    private static SimulatedCluster cluster() {
        return SimulatedCluster.builder().nodes(3).recordingSteps(STEPS.toArray(String[]::new)).build();
    }

    @ParameterizedTest(name = "step {0} fails on n{1}")
    @CsvSource({"0,1", "0,3", "1,2", "2,1", "2,3", "3,2"})
    void failureAtAnyStepUndoesEveryCompletedStepEverywhere(int failing, int node) {
        try (SimulatedCluster c = cluster()) {
            NodeId bad = c.id(node);
            c.faults().failRun(STEPS.get(failing), bad);
            var t = c.transaction("demo").lock("volume:v1");
            STEPS.forEach(s -> t.step(s, c.ids()));

            TransactionResult r = c.execute(c.node(1), t);

            assertThat(r.status()).isEqualTo(TransactionResult.Status.ROLLED_BACK);
            GdException e = r.error().orElseThrow();
            assertThat(e.code()).isEqualTo(ErrorCode.STEP_FAILED);
            assertThat(e.getMessage()).contains("'" + STEPS.get(failing) + "'").contains(bad.value())
                    .contains("injected failure").contains("undone");
            assertThat(e.nodeErrors()).singleElement().satisfies(ne -> {
                assertThat(ne.node()).isEqualTo(bad.value());
                assertThat(ne.step()).isEqualTo(STEPS.get(failing));
            });
            // the failed node's step is not undone (it left nothing behind); every other run is undone
            List<NodeOutcome> undone = r.outcomes().stream().filter(o -> o.outcome() == Outcome.UNDONE).toList();
            assertThat(undone).hasSize(failing * 3 + 2);
            assertThat(undone).noneMatch(o -> o.node().equals(bad) && o.stepIndex() == failing);
            // undo order: reverse step order
            List<Integer> order = undone.stream().map(NodeOutcome::stepIndex).toList();
            assertThat(order).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
        }
    }

    @Test
    void failedUndoOnReachableNodeIsRetriedThenPaidByTheNode() {
        try (SimulatedCluster c = cluster()) {
            c.faults().failRun("s2", c.id(3));
            c.faults().fail("s1", c.id(2), StepFaults.Phase.UNDO, 3); // every attempt of the coordinator fails
            var t = c.transaction("demo").lock("volume:v1").step("s0", c.ids()).step("s1", c.ids()).step("s2", c.ids());

            TransactionResult r = c.execute(c.node(1), t);

            assertThat(r.status()).isEqualTo(TransactionResult.Status.UNDO_PENDING);
            assertThat(r.error().orElseThrow().getMessage()).contains("pending").contains("n2");
            assertThat(r.outcomes()).anySatisfy(o -> {
                assertThat(o.node()).isEqualTo(c.id(2));
                assertThat(o.outcome()).isEqualTo(Outcome.UNDO_PENDING);
                assertThat(o.remedy()).contains("will undo");
            });
            // n2 is alive: its recovery scan pays what it owes (s1, then s0), and the journal goes
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
        }
    }

    @Test
    void partitionedParticipantUndoesItselfThroughTheStore() {
        try (SimulatedCluster c = cluster()) {
            var t = c.transaction("demo").lock("volume:v1").step("s0", c.ids()).step("s1", c.ids());
            // s0 succeeds everywhere, then n1 loses n3: s1 fails there (not run), the undo of s0 cannot reach it
            c.faults().afterRun("s0", c.id(3), () -> c.partition(c.id(1), c.id(3)));

            TransactionResult r = c.execute(c.node(1), t);

            assertThat(r.committed()).isFalse();
            assertThat(r.error().orElseThrow().nodeErrors()).anySatisfy(ne -> assertThat(ne.node()).isEqualTo("n3"));
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
        }
    }

    @ParameterizedTest(name = "lost reply at step {0}")
    @ValueSource(ints = {0, 1})
    void lostReplyMeansUnknownOutcomeAndIsUndone(int step) {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("s0", "s1")
                .stepDeadline(Duration.ofMillis(300)).build()) {
            var t = c.transaction("demo").lock("volume:v1").step("s0", c.ids()).step("s1", c.ids());
            if (step == 0) {
                c.dropReplies(c.id(1), c.id(2));
            } else {
                // s0's reply still arrives; from s1 on, n2's replies are lost
                c.faults().afterRun("s0", c.id(2), () -> c.dropReplies(c.id(1), c.id(2)));
            }

            TransactionResult r = c.execute(c.node(1), t);

            assertThat(r.committed()).isFalse();
            assertThat(r.outcomes()).anySatisfy(o -> {
                assertThat(o.node()).isEqualTo(c.id(2));
                assertThat(o.outcome()).isEqualTo(Outcome.UNKNOWN);
            });
            c.heal();
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
        }
    }
}
