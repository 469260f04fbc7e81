package dev.gdkit.bench.transaction;

import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A 3-step transaction over 3 simulated nodes (in-memory store, in-process transport): p50 and p99
 * latency and throughput, with 1 and 8 concurrent volumes (each client locks its own volume).
 * Measures the engine's own cost: the steps do nothing.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl bench -am package
 * java -cp bench/target/gd-bench.jar dev.gdkit.bench.transaction.TransactionBench [--warmup S] [--seconds S] [--clients 1,8]
 * </pre>
 */
public final class TransactionBench {
    private TransactionBench() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = 3;
        int seconds = 10;
        int[] clients = {1, 8};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> {
                    System.err.println("unknown argument " + args[i] + "; use --warmup S --seconds S --clients 1,8");
                    System.exit(2);
                }
            }
        }
        System.out.printf("%-8s %10s %10s %10s %12s%n", "volumes", "txns", "p50 ms", "p99 ms", "txn/s");
        for (int c : clients) {
            try (SimulatedCluster cluster = SimulatedCluster.builder().nodes(3)
                    .steps((id, disk) -> List.of(Step.of("bench.s1", ctx -> { }, ctx -> { }),
                            Step.of("bench.s2", ctx -> { }, ctx -> { }), Step.of("bench.s3", ctx -> { }, ctx -> { })))
                    .build()) {
                run(cluster, c, warmup);
                Result r = run(cluster, c, seconds);
                System.out.printf(Locale.ROOT, "%-8d %10d %10.3f %10.3f %12.1f%n", c, r.count, r.p50 / 1e6, r.p99 / 1e6,
                        r.count / (double) seconds);
            }
        }
    }

    private record Result(long count, double p50, double p99) {
    }

    private static Result run(SimulatedCluster cluster, int clients, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> perThread = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            long[] lat = new long[2_000_000];
            perThread.add(lat);
            counts.add(0);
            int idx = i;
            GdNode coordinator = cluster.node(1 + i % 3);
            Thread t = new Thread(() -> {
                int n = 0;
                while (!stop.get() && n < lat.length) {
                    Transaction txn = Transaction.builder("bench").lock("volume:v" + idx)
                            .step("bench.s1", cluster.ids()).step("bench.s2", cluster.ids()).step("bench.s3", cluster.ids())
                            .build();
                    long t0 = System.nanoTime();
                    TransactionResult r = coordinator.transactions().execute(txn);
                    lat[n++] = System.nanoTime() - t0;
                    if (!r.committed()) {
                        throw new IllegalStateException("benchmark transaction failed: " + r.error());
                    }
                }
                synchronized (counts) {
                    counts.set(idx, n);
                }
                done.countDown();
            });
            threads.add(t);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        int total = counts.stream().mapToInt(Integer::intValue).sum();
        long[] all = new long[total];
        int k = 0;
        for (int i = 0; i < clients; i++) {
            System.arraycopy(perThread.get(i), 0, all, k, counts.get(i));
            k += counts.get(i);
        }
        Arrays.sort(all);
        return new Result(total, all.length == 0 ? 0 : all[(int) (all.length * 0.50)],
                all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))]);
    }
}
