package dev.gdkit.testkit.transaction;

import static dev.gdkit.testkit.assertions.ClusterAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.CrashPlan;
import dev.gdkit.testkit.cluster.CrashPlan.Point;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.cluster.SimulatedCrash;
import dev.gdkit.testkit.steps.StepFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CoordinatorCrashTest {

    static Stream<Point> crashPoints() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            points.add(Point.beforeStep(i));
            points.add(Point.afterStep(i));
        }
        points.add(Point.beforeCommit());
        return points.stream();
    }

    @ParameterizedTest(name = "coordinator dies {0}; survivors undo it")
    @MethodSource("crashPoints")
    void survivorsUndoATransactionWhoseCoordinatorDied(Point point) {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b", "c").build()) {
            var t = c.transaction("demo").lock("volume:v1").step("a", c.ids()).step("b", c.ids()).step("c", c.ids());
            c.crashPlan().arm(point);

            assertThatThrownBy(() -> c.execute(c.node(1), t)).isInstanceOf(SimulatedCrash.class);

            c.awaitQuiescent(Duration.ofSeconds(10));
            // survivors undid their part and freed the lock; the dead coordinator owes its own undo
            assertThat(c.disk(c.id(2)).under("applied/" + t.id())).isEmpty();
            assertThat(c.disk(c.id(3)).under("applied/" + t.id())).isEmpty();
            assertThat(c.checker().storeConsistency()).isEmpty();

            // the restarted coordinator pays what it owes, and the volume can be used again
            c.restart(c.id(1));
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
            var next = c.transaction("again").lock("volume:v1").step("a", c.ids());
            assertThat(c.execute(c.node(2), next).committed()).isTrue();
            assertThat(c).isConsistent();
        }
    }

    @ParameterizedTest(name = "single node dies {0}; it undoes on restart")
    @MethodSource("crashPoints")
    void aRestartedCoordinatorUndoesItsOwnTransaction(Point point) {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(1).recordingSteps("a", "b", "c").build()) {
            var t = c.transaction("demo").lock("volume:v1").step("a", c.ids()).step("b", c.ids()).step("c", c.ids());
            c.crashPlan().arm(point);
            assertThatThrownBy(() -> c.execute(c.node(1), t)).isInstanceOf(SimulatedCrash.class);

            // nobody else is there: the journal and the lock wait for the node
            assertThat(c.checker().unfinished()).isNotEmpty();

            c.restart(c.id(1));
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
        }
    }

    @Test
    void lockOfACrashedCoordinatorIsFreedOnlyAfterTheUndo() throws Exception {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b").build()) {
            var first = c.transaction("first").lock("volume:v1").step("a", c.ids()).step("b", c.ids());
            // make the survivors' undo of "a" slow, so a waiting transaction would see leftovers if the lock freed early
            c.faults().delay("a", c.id(2), StepFaults.Phase.UNDO, Duration.ofMillis(300));
            c.crashPlan().arm(Point.afterStep(1));
            assertThatThrownBy(() -> c.execute(c.node(1), first)).isInstanceOf(SimulatedCrash.class);

            List<String> seenLeftovers = new ArrayList<>();
            var second = c.transaction("second").lock("volume:v1").step("b", c.id(2), c.id(3));
            c.faults().afterRun("b", c.id(2), () -> seenLeftovers.addAll(c.disk(c.id(2)).under("applied/" + first.id()).keySet()));

            TransactionResult r = c.execute(c.node(2), second);

            assertThat(r.committed()).isTrue();
            assertThat(seenLeftovers).isEmpty();
            c.restart(c.id(1));
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(first.id()).isConsistent();
        }
    }

    @Test
    void coordinatorThatLosesItsSessionMidwayIsAbortedAndUndone() throws Exception {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b").build()) {
            CountDownLatch taken = new CountDownLatch(1);
            var t = c.transaction("demo").lock("volume:v1").step("a", c.ids()).step("b", c.ids());
            // after "a" ran on n2, n1 is cut off the store until its session expires and a survivor
            // has taken the journal over; then it comes back and finds its transaction gone
            c.faults().afterRun("a", c.id(2), () -> {
                c.isolateFromStore(c.id(1), true);
                waitUntil(() -> c.store().snapshot(c.namespace()).entrySet().stream()
                        .filter(e -> e.getKey().startsWith("txns/"))
                        .noneMatch(e -> e.getValue().valueAsString().contains("\"owner\":\"n1\"")));
                c.isolateFromStore(c.id(1), false);
                taken.countDown();
            });

            TransactionResult r = c.execute(c.node(1), t);

            assertThat(taken.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(r.status()).isEqualTo(TransactionResult.Status.ABORTED);
            assertThat(r.error().orElseThrow().code()).isEqualTo(ErrorCode.TRANSACTION_ABORTED);
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id());
            assertThat(c.checker().atomicity()).isEmpty();
        }
    }

    @Test
    void storeOutageDuringATransactionEndsAllOrNothing() throws Exception {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b")
                .storeOperationTimeout(Duration.ofMillis(300)).build()) {
            var t = c.transaction("demo").lock("volume:v1").step("a", c.ids()).step("b", c.ids());
            c.faults().afterRun("a", c.id(3), () -> c.storeOutage(true));

            CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.execute(c.node(1), t);
                } catch (RuntimeException e) {
                    return e;
                }
            });
            Thread.sleep(500);
            c.storeOutage(false);
            Object o = outcome.get(20, TimeUnit.SECONDS);

            assertThat(o).isInstanceOf(dev.gdkit.api.error.GdException.class);
            assertThat(((dev.gdkit.api.error.GdException) o).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
            c.awaitQuiescent(Duration.ofSeconds(10));
            assertThat(c).hasNoTraceOf(t.id()).isConsistent();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier cond) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!cond.getAsBoolean() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
