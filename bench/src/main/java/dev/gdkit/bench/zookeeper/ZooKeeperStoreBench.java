package dev.gdkit.bench.zookeeper;

import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.LoopbackPorts;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Compare-and-set writes through {@link ZooKeeperClusterStore} next to ZooKeeper's raw create and
 * raw versioned setData, on one embedded server and on a three-server embedded ensemble, measured
 * in the same run with the same number of client threads (each thread its own client and session).
 *
 * <pre>
 * java -cp bench/target/gd-bench.jar dev.gdkit.bench.zookeeper.ZooKeeperStoreBench [seconds] [threads,...]
 * </pre>
 * Defaults: 10 s measured per figure after 3 s of warm-up, threads 1 and 8. Values are 100 bytes.
 */
public final class ZooKeeperStoreBench {
    private static final byte[] VALUE = new byte[100];

    private ZooKeeperStoreBench() {
    }

    /** A measured run: operations and per-operation latencies in nanoseconds. */
    record Result(String what, int threads, long ops, double seconds, long[] latencies) {
        double rate() {
            return ops / seconds;
        }

        double percentileMs(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(latencies.length - 1, Math.ceil(p / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    /** One thread's operation; returns false when it did not count (a CAS conflict). */
    @FunctionalInterface
    interface Op {
        boolean run(int thread, long seq) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] threads = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1, 8};
        System.out.printf(Locale.ROOT, "ZooKeeperStoreBench: %d s measured per figure (3 s warm-up), threads %s, %d-byte values, %d cores%n",
                seconds, Arrays.toString(threads), VALUE.length, Runtime.getRuntime().availableProcessors());
        Path dir = Files.createTempDirectory("gd-zk-bench");
        try {
            List<Result> results = new ArrayList<>();
            try (Deployment single = Deployment.single(dir.resolve("single"))) {
                results.addAll(runAll("1 embedded server", single.connectString(), seconds, threads));
            }
            try (Deployment ensemble = Deployment.ensemble(dir.resolve("ensemble"), 3)) {
                results.addAll(runAll("3-server embedded ensemble", ensemble.connectString(), seconds, threads));
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static List<Result> runAll(String deployment, String connectString, int seconds, int[] threadCounts) throws Exception {
        List<Result> out = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%n## %s (%s)%n%n", deployment, connectString);
        System.out.println("| operation | threads | ops | ops/s | p50 ms | p99 ms | vs raw create |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int t : threadCounts) {
            List<ZooKeeper> raws = new ArrayList<>();
            List<ZooKeeperClusterStore> stores = new ArrayList<>();
            String ns = "bench-" + t;
            try {
                for (int i = 0; i < t; i++) {
                    raws.add(connectRaw(connectString));
                    stores.add(ZooKeeperClusterStore.builder().connectString(connectString).namespace(ns)
                            .operationTimeout(Duration.ofSeconds(30)).sessionTimeout(Duration.ofSeconds(30)).build());
                }
                ZooKeeper admin = raws.get(0);
                String rawBase = "/raw-" + t;
                admin.create(rawBase, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                for (int i = 0; i < t; i++) {
                    admin.create(rawBase + "/t" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    admin.create(rawBase + "/cas" + i, VALUE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    stores.get(i).put("volumes/v" + i, VALUE);
                }
                int[] rawVersions = new int[t];
                int[] storeVersions = new int[t];
                for (int i = 0; i < t; i++) {
                    storeVersions[i] = stores.get(i).get("volumes/v" + i).orElseThrow().version();
                }

                Result rawCreate = measure("raw ZooKeeper create", t, seconds, (i, seq) -> {
                    raws.get(i).create(rawBase + "/t" + i + "/n" + seq, VALUE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    return true;
                });
                Result rawCas = measure("raw ZooKeeper setData(version)", t, seconds, (i, seq) -> {
                    rawVersions[i] = raws.get(i).setData(rawBase + "/cas" + i, VALUE, rawVersions[i]).getVersion();
                    return true;
                });
                Result storeCas = measure("store CAS update (known version)", t, seconds, (i, seq) -> {
                    stores.get(i).update("volumes/v" + i, VALUE, storeVersions[i]);
                    storeVersions[i]++;
                    return true;
                });
                Result storeReadCas = measure("store get + CAS update", t, seconds, (i, seq) -> {
                    Versioned v = stores.get(i).get("volumes/v" + i).orElseThrow();
                    stores.get(i).update("volumes/v" + i, VALUE, v.version());
                    return true;
                });
                Result contended = measure("store get + CAS on one shared key", t, seconds, (i, seq) -> {
                    Versioned v = stores.get(i).get("volumes/v0").orElseThrow();
                    try {
                        stores.get(i).update("volumes/v0", VALUE, v.version());
                        return true;
                    } catch (StoreConflictException e) {
                        return false;
                    }
                });
                Result commit3 = measure("store 3-op commit (check + 2 puts)", t, seconds, (i, seq) -> {
                    stores.get(i).commit(List.of(StoreOp.check("volumes/v" + i, StoreOp.ANY_VERSION),
                            StoreOp.put("volumes/v" + i + "/bricks/b0", VALUE), StoreOp.put("volumes/v" + i + "/bricks/b1", VALUE)));
                    return true;
                });
                for (Result r : List.of(rawCreate, rawCas, storeCas, storeReadCas, contended, commit3)) {
                    System.out.printf(Locale.ROOT, "| %s | %d | %,d | %,.0f | %.3f | %.3f | %.2f |%n", r.what(), r.threads(), r.ops(),
                            r.rate(), r.percentileMs(50), r.percentileMs(99), r.rate() / rawCreate.rate());
                    out.add(r);
                }
            } finally {
                for (ZooKeeperClusterStore s : stores) {
                    s.close();
                }
                for (ZooKeeper z : raws) {
                    z.close();
                }
            }
        }
        return out;
    }

    private static Result measure(String what, int threads, int seconds, Op op) throws Exception {
        run(threads, 3, op, null); // warm-up
        List<long[]> lat = new ArrayList<>();
        long start = System.nanoTime();
        long ops = run(threads, seconds, op, lat);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = lat.stream().flatMapToLong(Arrays::stream).filter(x -> x >= 0).sorted().toArray();
        return new Result(what, threads, ops, elapsed, all);
    }

    private static long run(int threads, int seconds, Op op, List<long[]> latencies) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<long[]>> fs = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            fs.add(CompletableFuture.supplyAsync(() -> {
                long[] lat = new long[1 << 20];
                int n = 0;
                long seq = System.nanoTime() * 1000 + thread;
                try {
                    go.await();
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        boolean counted = op.run(thread, seq++);
                        long t1 = System.nanoTime();
                        if (counted && n < lat.length) {
                            lat[n++] = t1 - t0;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("benchmark operation failed: " + e, e);
                }
                return Arrays.copyOf(lat, n);
            }, pool));
        }
        go.countDown();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        stop.set(true);
        long total = 0;
        pool.shutdown();
        for (CompletableFuture<long[]> f : fs) {
            long[] l = f.get();
            total += l.length;
            if (latencies != null) {
                latencies.add(l);
            }
        }
        return total;
    }

    private static ZooKeeper connectRaw(String connectString) throws Exception {
        CountDownLatch up = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
            }
        });
        if (!up.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not connect to " + connectString);
        }
        return zk;
    }

    /** Embedded servers for the run. */
    private static final class Deployment implements AutoCloseable {
        private final List<EmbeddedZooKeeperServer> servers;
        private final String connectString;

        private Deployment(List<EmbeddedZooKeeperServer> servers, String connectString) {
            this.servers = servers;
            this.connectString = connectString;
        }

        static Deployment single(Path dir) {
            EmbeddedZooKeeperServer s = EmbeddedZooKeeperServer.builder().baseDir(dir).build().start();
            return new Deployment(List.of(s), s.connectString());
        }

        static Deployment ensemble(Path dir, int size) {
            int[] ports = LoopbackPorts.free("127.0.0.1", size * 3);
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                members.add(new Member(i + 1, "127.0.0.1", ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
            }
            List<EmbeddedZooKeeperServer> servers = members.stream()
                    .map(m -> EmbeddedZooKeeperServer.builder().baseDir(dir.resolve("s" + m.id())).ensemble(m.id(), members).build())
                    .collect(Collectors.toList());
            servers.stream().map(s -> CompletableFuture.runAsync(s::start)).toList().forEach(CompletableFuture::join);
            return new Deployment(servers, members.stream().map(Member::clientAddress).collect(Collectors.joining(",")));
        }

        String connectString() {
            return connectString;
        }

        @Override
        public void close() {
            servers.forEach(EmbeddedZooKeeperServer::close);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
