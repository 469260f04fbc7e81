package dev.gdkit.zookeeper.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.core.transport.inprocess.InProcessNetwork;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gd-core's transaction engine with its journal and locks in ZooKeeper: three nodes (in-process
 * transport), each with its own store client on a three-server embedded ensemble. An "option set"
 * transaction locks its volume, runs a step on every node (which records the option in the node's
 * state; its undo removes it), and commits one key. The fault: the ensemble leader is killed while
 * 100 such transactions on 10 volumes run. Afterwards every committed transaction is applied on
 * every node and in the store, and every other one is applied nowhere (after recovery).
 */
class EngineOnZooKeeperTest {
    private static final Logger LOG = LoggerFactory.getLogger(EngineOnZooKeeperTest.class);

    private EnsembleFixture ensemble;
    private final InProcessNetwork network = new InProcessNetwork();
    private final List<GdNode> nodes = new ArrayList<>();
    private final List<ZooKeeperClusterStore> stores = new ArrayList<>();
    /** node -> labels of the option sets applied on it. */
    private final Map<NodeId, Set<String>> applied = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        ensemble = new EnsembleFixture(3).start();
        for (int i = 1; i <= 3; i++) {
            NodeId id = NodeId.of("n" + i);
            applied.put(id, ConcurrentHashMap.newKeySet());
            ZooKeeperClusterStore store = ZooKeeperClusterStore.builder().connectString(ensemble.connectString()).namespace("gd")
                    .sessionTimeout(Duration.ofSeconds(10)).operationTimeout(Duration.ofSeconds(5)).build();
            stores.add(store);
            Step optionSet = Step.of("volume.option-set",
                    ctx -> applied.get(ctx.node()).add(ctx.require("label")),
                    ctx -> applied.get(ctx.node()).remove(ctx.require("label")));
            GdNode node = GdNode.builder().id(id).name("n" + i).store(store).transport(network.transport("n" + i))
                    .step(optionSet).lockWait(Duration.ofSeconds(60)).recoveryInterval(Duration.ofMillis(500)).build().start();
            nodes.add(node);
        }
        nodes.get(0).bootstrap();
        nodes.get(1).join(nodes.get(0).address());
        nodes.get(2).join(nodes.get(0).address());
    }

    @AfterEach
    void stop() {
        nodes.forEach(GdNode::close);
        stores.forEach(ZooKeeperClusterStore::close);
        network.close();
        ensemble.close();
    }

    private List<NodeId> ids() {
        return nodes.stream().map(GdNode::id).toList();
    }

    private Transaction optionSet(int volume, String label) {
        return Transaction.builder("volume.set").lock("volume:v" + volume).context("label", label)
                .step("volume.option-set", ids())
                .commit(List.of(StoreOp.put("volumes/v" + volume + "/options/" + label, "on")))
                .build();
    }

    private boolean appliedEverywhere(String label) {
        return applied.values().stream().allMatch(s -> s.contains(label));
    }

    private boolean appliedNowhere(String label) {
        return applied.values().stream().noneMatch(s -> s.contains(label));
    }

    @Test
    void aTransactionCommitsThroughZooKeeper() {
        TransactionResult r = nodes.get(1).transactions().execute(optionSet(1, "first"));
        assertThat(r.committed()).as("%s", r).isTrue();
        assertThat(appliedEverywhere("first")).isTrue();
        // another client sees it once its server has caught up (ZooKeeper reads are per-client sequential)
        long end = System.nanoTime() + 10_000_000_000L;
        while (stores.get(2).get("volumes/v1/options/first").isEmpty() && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(stores.get(2).get("volumes/v1/options/first")).isPresent();
    }

    @Test
    void killingTheEnsembleLeaderDuringOptionSetsLeavesNothingHalfApplied() throws Exception {
        EmbeddedZooKeeperServer leader = ensemble.leader();
        int total = 100;
        Map<String, TransactionResult.Status> outcomes = new ConcurrentHashMap<>();
        Map<String, Integer> volumeOf = new ConcurrentHashMap<>();
        AtomicInteger thrown = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(20);
        CountDownLatch killing = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int u = 0; u < total; u++) {
                String label = "t" + u;
                int volume = u % 10;
                int index = u;
                volumeOf.put(label, volume);
                GdNode coordinator = nodes.get(u % 3);
                fs.add(pool.submit(() -> {
                    if (index >= 30) {
                        killing.await();
                    }
                    try {
                        outcomes.put(label, coordinator.transactions().execute(optionSet(volume, label)).status());
                    } catch (RuntimeException e) {
                        thrown.incrementAndGet();
                        LOG.info("transaction {} threw {}", label, e.toString());
                    }
                    first.countDown();
                    return null;
                }));
            }
            assertThat(first.await(120, TimeUnit.SECONDS)).isTrue();
            killing.countDown();
            leader.close();
            LOG.info("killed ensemble leader {}", leader);
            for (Future<?> f : fs) {
                f.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        ZooKeeperClusterStore reader = stores.get(0);
        int committed = 0;
        for (int u = 0; u < total; u++) {
            String label = "t" + u;
            TransactionResult.Status st = outcomes.get(label);
            String key = "volumes/v" + volumeOf.get(label) + "/options/" + label;
            if (st == TransactionResult.Status.COMMITTED) {
                committed++;
                assertThat(appliedEverywhere(label)).as("%s committed: applied on every node", label).isTrue();
                assertThat(reader.get(key)).as("%s committed: in the store", label).isPresent();
            } else {
                // rolled back, undo pending, aborted, or threw: recovery must leave nothing applied
                await(label + " (" + st + ") is applied nowhere and not in the store",
                        () -> appliedNowhere(label) && reader.get(key).isEmpty());
            }
        }
        LOG.info("{} committed, {} not committed ({} threw): statuses {}", committed, total - committed, thrown.get(),
                outcomes.values().stream().collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.stream.Collectors.counting())));
        assertThat(committed).as("most transactions get through with two of three servers up").isPositive();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
