package dev.gdkit.bench.zookeeper;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.core.transport.inprocess.InProcessNetwork;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.LoopbackPorts;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * gd-core's 3-step transaction over 3 nodes (in-process transport) with its journal and locks in
 * ZooKeeper: on one embedded server and on a three-server embedded ensemble. The same transaction
 * as {@code TransactionBench} (which runs it on the in-memory store): lock one volume, 3 no-op
 * steps on each of the 3 nodes, commit.
 *
 * <pre>
 * java -cp bench/target/gd-bench.jar dev.gdkit.bench.zookeeper.ZooKeeperTransactionBench [seconds] [volumes,...]
 * </pre>
 * Defaults: 10 s measured after 3 s of warm-up, 1 and 8 concurrent volumes.
 */
public final class ZooKeeperTransactionBench {
    private ZooKeeperTransactionBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] volumes = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 8};
        System.out.printf(Locale.ROOT, "ZooKeeperTransactionBench: %d s measured (3 s warm-up), volumes %s, %d cores%n",
                seconds, Arrays.toString(volumes), Runtime.getRuntime().availableProcessors());
        Path dir = Files.createTempDirectory("gd-zk-txbench");
        try {
            EmbeddedZooKeeperServer single = EmbeddedZooKeeperServer.builder().baseDir(dir.resolve("single")).build().start();
            try {
                report("1 embedded server", single.connectString(), seconds, volumes);
            } finally {
                single.close();
            }
            int[] ports = LoopbackPorts.free("127.0.0.1", 9);
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                members.add(new Member(i + 1, "127.0.0.1", ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
            }
            List<EmbeddedZooKeeperServer> ensemble = members.stream()
                    .map(m -> EmbeddedZooKeeperServer.builder().baseDir(dir.resolve("s" + m.id())).ensemble(m.id(), members).build())
                    .toList();
            ensemble.stream().map(s -> CompletableFuture.runAsync(s::start)).toList().forEach(CompletableFuture::join);
            try {
                report("3-server embedded ensemble", members.stream().map(Member::clientAddress).collect(Collectors.joining(",")),
                        seconds, volumes);
            } finally {
                ensemble.forEach(EmbeddedZooKeeperServer::close);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(String deployment, String connectString, int seconds, int[] volumes) throws Exception {
        System.out.printf(Locale.ROOT, "%n## %s%n%n| concurrent volumes | transactions | p50 ms | p99 ms | txn/s |%n|---|---|---|---|---|%n",
                deployment);
        for (int v : volumes) {
            InProcessNetwork network = new InProcessNetwork();
            List<GdNode> nodes = new ArrayList<>();
            List<ZooKeeperClusterStore> stores = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    ZooKeeperClusterStore store = ZooKeeperClusterStore.builder().connectString(connectString).namespace("bench-" + v)
                            .sessionTimeout(Duration.ofSeconds(30)).operationTimeout(Duration.ofSeconds(30)).build();
                    stores.add(store);
                    nodes.add(GdNode.builder().id(NodeId.of("n" + i)).name("n" + i).store(store).transport(network.transport("n" + i))
                            .steps(List.of(Step.of("bench.s1", ctx -> { }, ctx -> { }), Step.of("bench.s2", ctx -> { }, ctx -> { }),
                                    Step.of("bench.s3", ctx -> { }, ctx -> { })))
                            .lockWait(Duration.ofSeconds(60)).build().start());
                }
                nodes.get(0).bootstrap();
                nodes.get(1).join(nodes.get(0).address());
                nodes.get(2).join(nodes.get(0).address());
                run(nodes, v, 3);
                long[] lat = run(nodes, v, seconds);
                System.out.printf(Locale.ROOT, "| %d | %,d | %.3f | %.3f | %,.1f |%n", v, lat.length, pct(lat, 50), pct(lat, 99),
                        lat.length / (double) seconds);
            } finally {
                nodes.forEach(GdNode::close);
                stores.forEach(ZooKeeperClusterStore::close);
                network.close();
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.length) - 1));
        return sorted[i] / 1e6;
    }

    private static long[] run(List<GdNode> nodes, int volumes, int seconds) throws Exception {
        List<NodeId> ids = nodes.stream().map(GdNode::id).toList();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<long[]>> fs = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(volumes);
        for (int i = 0; i < volumes; i++) {
            int idx = i;
            GdNode coordinator = nodes.get(i % nodes.size());
            fs.add(CompletableFuture.supplyAsync(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new long[0];
                }
                while (!stop.get() && n < lat.length) {
                    Transaction txn = Transaction.builder("bench").lock("volume:v" + idx)
                            .step("bench.s1", ids).step("bench.s2", ids).step("bench.s3", ids).build();
                    long t0 = System.nanoTime();
                    TransactionResult r = coordinator.transactions().execute(txn);
                    lat[n++] = System.nanoTime() - t0;
                    if (!r.committed()) {
                        throw new IllegalStateException("benchmark transaction failed: " + r.error());
                    }
                }
                return Arrays.copyOf(lat, n);
            }, pool));
        }
        go.countDown();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        pool.shutdown();
        return fs.stream().map(CompletableFuture::join).flatMapToLong(Arrays::stream).sorted().toArray();
    }
}
