package dev.gdkit.bench.scale;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The testkit at scale: N simulated nodes and V volumes in one JVM. Each volume create is a
 * transaction locking the volume, preparing its bricks on their nodes (3 distinct nodes, as a
 * replica-3 volume would) and committing the volume record with the journal's end. Reports
 * formation time, heap used, volume-create p50/p99, throughput and the largest value in the store.
 * Volfile writing is not part of this run (see docs/benchmarks.md).
 *
 * <pre>
 * mvn -B -q -DskipTests -pl bench -am package
 * java -Xmx8g -cp bench/target/gd-bench.jar dev.gdkit.bench.scale.ScaleRun --nodes 1000 --volumes 10000 --clients 8
 * </pre>
 */
public final class ScaleRun {
    private ScaleRun() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = 1000;
        int volumes = 10000;
        int clients = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--volumes" -> volumes = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i] + "; use --nodes N --volumes V --clients C");
                    System.exit(2);
                }
            }
        }
        long t0 = System.nanoTime();
        try (SimulatedCluster c = SimulatedCluster.builder().nodes(nodes).recoveryInterval(java.time.Duration.ofSeconds(10))
                .steps((id, disk) -> List.of(Step.of("brick.prepare", ctx -> disk.put("brick/" + ctx.require("volume"), "ok"),
                        ctx -> disk.remove("brick/" + ctx.require("volume")))))
                .build()) {
            double formation = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "formed %d nodes in %.1f s; heap used %d MB%n", nodes, formation, heapMb());

            long[] latencies = new long[volumes];
            int total = volumes;
            int n = nodes;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> fs = new ArrayList<>();
            long start = System.nanoTime();
            for (int k = 0; k < clients; k++) {
                int client = k;
                int perClient = clients;
                fs.add(pool.submit(() -> {
                    Random r = new Random(client);
                    for (int v = client; v < total; v += perClient) {
                        String name = "vol" + v;
                        List<NodeId> bricks = threeNodes(c, r, n);
                        String record = "{\"name\":\"" + name + "\",\"bricks\":" + bricks + "}";
                        Transaction t = Transaction.builder("volume-create").lock("volume:" + name).context("volume", name)
                                .step("brick.prepare", bricks).commit(List.of(StoreOp.create("volumes/" + name, record)))
                                .build();
                        long s = System.nanoTime();
                        TransactionResult res = c.node(bricks.get(0)).transactions().execute(t);
                        latencies[v] = System.nanoTime() - s;
                        if (v > 0 && v % 1000 == 0) {
                            System.out.printf(Locale.ROOT, "  %d volumes created%n", v);
                        }
                        if (!res.committed()) {
                            throw new IllegalStateException(name + ": " + res.error());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            Arrays.sort(latencies);
            Versioned largest = null;
            for (Map.Entry<String, Versioned> e : c.store().snapshot(c.namespace()).entrySet()) {
                if (largest == null || e.getValue().value().length > largest.value().length) {
                    largest = e.getValue();
                }
            }
            System.gc();
            System.out.printf(Locale.ROOT, "created %d volumes in %.1f s (%.0f/s) with %d clients: p50 %.2f ms, p99 %.2f ms%n",
                    volumes, seconds, volumes / seconds, clients, latencies[volumes / 2] / 1e6, latencies[volumes * 99 / 100] / 1e6);
            System.out.printf(Locale.ROOT, "heap used after GC %d MB; store keys %d; largest value %s (%d bytes)%n", heapMb(),
                    c.store().snapshot(c.namespace()).size(), largest.key(), largest.value().length);
        }
    }

    private static List<NodeId> threeNodes(SimulatedCluster c, Random r, int n) {
        int a = r.nextInt(n);
        int b = (a + 1 + r.nextInt(n - 1)) % n;
        int d;
        do {
            d = r.nextInt(n);
        } while (d == a || d == b);
        return List.of(c.id(a + 1), c.id(b + 1), c.id(d + 1));
    }

    private static long heapMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }
}
