package dev.gdkit.testkit.transaction;

import static dev.gdkit.testkit.assertions.ClusterAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.steps.StepFaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LockingTest {

    /** A step that meets its partner: it waits until the other transaction's step has started too. */
    private static SimulatedCluster rendezvousCluster(Map<String, CountDownLatch> started, AtomicInteger inside,
                                                      AtomicInteger maxInside, Duration lockWait) {
        return SimulatedCluster.builder().nodes(2).lockWait(lockWait).steps((id, disk) -> List.of(
                Step.of("meet", ctx -> {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    try {
                        started.get(ctx.require("me")).countDown();
                        ctx.output("met", Boolean.toString(started.get(ctx.require("partner")).await(2, TimeUnit.SECONDS)));
                    } finally {
                        inside.decrementAndGet();
                    }
                }, null))).build();
    }

    @Test
    void transactionsOnDifferentVolumesRunAtTheSameTime() throws Exception {
        Map<String, CountDownLatch> started = Map.of("x", new CountDownLatch(1), "y", new CountDownLatch(1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        try (SimulatedCluster c = rendezvousCluster(started, inside, max, Duration.ofSeconds(10))) {
            var x = c.transaction("x").lock("volume:a").step("meet", c.id(1)).context("me", "x").context("partner", "y");
            var y = c.transaction("y").lock("volume:b").step("meet", c.id(2)).context("me", "y").context("partner", "x");
            CompletableFuture<TransactionResult> fx = CompletableFuture.supplyAsync(() -> c.execute(c.node(1), x));
            CompletableFuture<TransactionResult> fy = CompletableFuture.supplyAsync(() -> c.execute(c.node(2), y));

            assertThat(fx.get(10, TimeUnit.SECONDS).context()).containsEntry("met", "true");
            assertThat(fy.get(10, TimeUnit.SECONDS).context()).containsEntry("met", "true");
            assertThat(max.get()).isEqualTo(2);
        }
    }

    @Test
    void transactionsOnTheSameVolumeQueue() throws Exception {
        Map<String, CountDownLatch> started = Map.of("x", new CountDownLatch(1), "y", new CountDownLatch(1));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        try (SimulatedCluster c = rendezvousCluster(started, inside, max, Duration.ofSeconds(10))) {
            var x = c.transaction("x").lock("volume:a").step("meet", c.id(1)).context("me", "x").context("partner", "y");
            var y = c.transaction("y").lock("volume:a").step("meet", c.id(2)).context("me", "y").context("partner", "x");
            CompletableFuture<TransactionResult> fx = CompletableFuture.supplyAsync(() -> c.execute(c.node(1), x));
            CompletableFuture<TransactionResult> fy = CompletableFuture.supplyAsync(() -> c.execute(c.node(2), y));

            TransactionResult rx = fx.get(10, TimeUnit.SECONDS);
            TransactionResult ry = fy.get(10, TimeUnit.SECONDS);
            assertThat(rx.committed()).isTrue();
            assertThat(ry.committed()).isTrue();
            // the first to get the lock waited for its partner in vain: they never overlapped
            assertThat(List.of(rx.context().get("met"), ry.context().get("met"))).containsExactlyInAnyOrder("false", "true");
            assertThat(max.get()).isEqualTo(1);
            assertThat(c).isConsistent();
        }
    }

    @Test
    void aLockIsReleasedOnlyAfterTheRollbackEnded() throws Exception {
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b").build()) {
            var first = c.transaction("first").lock("volume:v").step("a", c.ids()).step("b", c.ids());
            c.faults().failRun("b", c.id(3));
            c.faults().delay("a", c.id(2), StepFaults.Phase.UNDO, Duration.ofMillis(300));
            CountDownLatch failing = new CountDownLatch(1);
            c.faults().afterRun("b", c.id(1), failing::countDown);

            var second = c.transaction("second").lock("volume:v").step("a", c.ids());
            Map<String, Integer> leftoversSeen = new ConcurrentHashMap<>();
            c.faults().afterRun("a", c.id(2), () -> { }); // consumed by the first transaction's run of a on n2
            CompletableFuture<TransactionResult> f1 = CompletableFuture.supplyAsync(() -> c.execute(c.node(1), first));
            assertThat(failing.await(5, TimeUnit.SECONDS)).isTrue();
            c.faults().afterRun("a", c.id(3), () -> leftoversSeen.put("n2", c.disk(c.id(2)).under("applied/" + first.id()).size()));
            TransactionResult r2 = c.execute(c.node(3), second);

            assertThat(f1.get(10, TimeUnit.SECONDS).status()).isEqualTo(TransactionResult.Status.ROLLED_BACK);
            assertThat(r2.committed()).isTrue();
            assertThat(leftoversSeen).containsEntry("n2", 0);
            assertThat(c).hasNoTraceOf(first.id()).hasCommitted(second.id()).isConsistent();
        }
    }

    @Test
    void waitingLongerThanTheLockWaitFailsClearlyAndChangesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(2).lockWait(Duration.ofMillis(300)).recordingSteps("a")
                .steps((id, disk) -> List.of(Step.of("hold", ctx -> {
                    holding.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }, null))).build()) {
            var holder = c.transaction("volume-set").lock("volume:v").step("hold", c.id(1));
            CompletableFuture<TransactionResult> f = CompletableFuture.supplyAsync(() -> c.execute(c.node(1), holder));
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

            var waiter = c.transaction("volume-stop").lock("volume:v").step("a", c.ids());
            assertThatThrownBy(() -> c.execute(c.node(2), waiter))
                    .isInstanceOfSatisfying(GdException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("volume-stop").contains("'volume:v'").contains(holder.id())
                                .contains("volume-set").contains("coordinated by n1").contains("nothing was changed");
                        assertThat(e.remedy()).contains("retry");
                    });
            assertThat(c.store().snapshot(c.namespace()).keySet()).noneMatch(k -> k.contains(waiter.id()));
            for (NodeId n : c.ids()) {
                assertThat(c.disk(n).under("applied/" + waiter.id())).isEmpty();
            }
            release.countDown();
            assertThat(f.get(10, TimeUnit.SECONDS).committed()).isTrue();
        }
    }

    @Test
    void aTransactionTakesAllItsLocksOrNone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(1).lockWait(Duration.ofMillis(200)).recordingSteps("a")
                .steps((id, disk) -> List.of(Step.of("hold", ctx -> {
                    holding.countDown();
                    release.await(10, TimeUnit.SECONDS);
                }, null))).build()) {
            CompletableFuture<TransactionResult> f = CompletableFuture.supplyAsync(() ->
                    c.execute(c.node(1), c.transaction("h").lock("volume:b").step("hold", c.id(1))));
            assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();

            var both = c.transaction("both").lock("volume:a").lock("volume:b").step("a", c.id(1));
            assertThatThrownBy(() -> c.execute(c.node(1), both)).isInstanceOf(GdException.class);
            // volume:a was not left locked by the failed attempt
            assertThat(c.execute(c.node(1), c.transaction("only-a").lock("volume:a").step("a", c.id(1))).committed()).isTrue();
            release.countDown();
            f.get(10, TimeUnit.SECONDS);
            assertThat(c).isConsistent();
        }
    }
}
