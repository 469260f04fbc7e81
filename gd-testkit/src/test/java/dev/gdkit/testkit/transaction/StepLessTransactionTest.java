package dev.gdkit.testkit.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreEvent;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Watch;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A transaction without steps is one store commit that respects the locks of running transactions. */
class StepLessTransactionTest {

    private static SimulatedCluster cluster(CountDownLatch inStep, CountDownLatch release, Duration lockWait) {
        return SimulatedCluster.builder().nodes(2).lockWait(lockWait).steps((id, disk) -> List.of(
                Step.of("hold", ctx -> {
                    inStep.countDown();
                    if (!release.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                }, null))).build();
    }

    private static Transaction setRecord(String lock, String value, int expectedVersion) {
        return Transaction.builder("set-record").lock(lock)
                .commit(List.of(StoreOp.update("volumes/v", value.getBytes(java.nio.charset.StandardCharsets.UTF_8), expectedVersion)))
                .build();
    }

    /** Puts volumes/v = a, then runs {@code holder} (its step holds volume:v's lock) until the step has begun. */
    private static CompletableFuture<TransactionResult> holdTheLock(SimulatedCluster c, SimulatedCluster.PlannedTransaction holder,
                                                                     CountDownLatch inStep) throws InterruptedException {
        c.node(1).store().put("volumes/v", "a");
        CompletableFuture<TransactionResult> running = CompletableFuture.supplyAsync(() -> c.execute(c.node(1), holder));
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
        return running;
    }

    @Test
    void commitsInOneStoreCommitWithoutJournalOrLock() {
        try (SimulatedCluster c = cluster(new CountDownLatch(1), new CountDownLatch(0), Duration.ofSeconds(10))) {
            ClusterStore store = c.node(1).store();
            store.put("volumes/v", "a");
            List<String> written = new CopyOnWriteArrayList<>();
            try (Watch w1 = store.watch(StoreLayout.TXNS, e -> written.add(e.type() + " " + e.key()));
                 Watch w2 = store.watch(StoreLayout.LOCKS, e -> written.add(e.type() + " " + e.key()))) {
                written.clear();
                TransactionResult r = c.node(2).transactions().execute(setRecord("volume:v", "b", 0));
                assertThat(r.committed()).isTrue();
                assertThat(r.outcomes()).isEmpty();
                assertThat(store.get("volumes/v").orElseThrow().valueAsString()).isEqualTo("b");
                assertThat(written).as("journal or lock keys written").noneMatch(s -> s.startsWith(StoreEvent.Type.CREATED.name())
                        && !s.endsWith(StoreLayout.TXNS) && !s.endsWith(StoreLayout.LOCKS));
            }
        }
    }

    @Test
    void aConflictingCommitChangesNothingAndSaysWhichKey() {
        try (SimulatedCluster c = cluster(new CountDownLatch(1), new CountDownLatch(0), Duration.ofSeconds(10))) {
            ClusterStore store = c.node(1).store();
            store.put("volumes/v", "a");
            store.put("volumes/v", "b");
            TransactionResult r = c.node(1).transactions().execute(setRecord("volume:v", "stale", 0));
            assertThat(r.status()).isEqualTo(TransactionResult.Status.ROLLED_BACK);
            assertThat(r.error()).get().satisfies(e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.STORE_CONFLICT);
                assertThat(e.getMessage()).contains("volumes/v").contains("nothing was changed");
            });
            assertThat(store.get("volumes/v").orElseThrow().valueAsString()).isEqualTo("b");
            assertThat(store.children(StoreLayout.TXNS)).isEmpty();
            assertThat(store.children(StoreLayout.LOCKS)).isEmpty();
        }
    }

    @Test
    void waitsWhileARunningTransactionHoldsTheLockThenCommitsAfterIt() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SimulatedCluster c = cluster(inStep, release, Duration.ofSeconds(20))) {
            ClusterStore store = c.node(1).store();
            var holder = c.transaction("holder").lock("volume:v").step("hold", c.id(1));
            CompletableFuture<TransactionResult> running = holdTheLock(c, holder, inStep);
            CompletableFuture<TransactionResult> set = CompletableFuture.supplyAsync(
                    () -> c.node(2).transactions().execute(setRecord("volume:v", "b", 0)));
            Thread.sleep(300);
            assertThat(set).as("a step-less change between another transaction's steps").isNotDone();
            assertThat(store.get("volumes/v").orElseThrow().valueAsString()).isEqualTo("a");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).committed()).isTrue();
            assertThat(set.get(10, TimeUnit.SECONDS).committed()).isTrue();
            assertThat(store.get("volumes/v").orElseThrow().valueAsString()).isEqualTo("b");
        }
    }

    @Test
    void givesUpAfterTheLockWaitNamingTheHolder() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (SimulatedCluster c = cluster(inStep, release, Duration.ofMillis(400))) {
            ClusterStore store = c.node(1).store();
            var holder = c.transaction("holder").lock("volume:v").step("hold", c.id(1));
            CompletableFuture<TransactionResult> running = holdTheLock(c, holder, inStep);
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.node(2).transactions().execute(setRecord("volume:v", "b", 0)))
                        .isInstanceOfSatisfying(dev.gdkit.api.error.GdException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                            assertThat(e.getMessage()).contains("volume:v").contains(holder.id()).contains("nothing was changed");
                        });
            } finally {
                release.countDown();
            }
            assertThat(running.get(10, TimeUnit.SECONDS).committed()).isTrue();
            assertThat(store.get("volumes/v").orElseThrow().valueAsString()).isEqualTo("a");
        }
    }
}
