package dev.gdkit.bench.vsglusterd;

import dev.gdkit.bench.vsglusterd.Result.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same operations on a glusterd pool and a gdd pool of the same size, one system after the
 * other on the same machine, for each pool size: daemon start-up, pool formation, volume create,
 * sequential {@code volume set} latency, concurrent set throughput (8 clients on 8 volumes), volume
 * start with real glusterfsd bricks and stop, idle RSS. An operation counts as done when the API has
 * answered success; after every sequential set (outside the clock) every node's volfiles are read
 * back and an operation whose value is missing anywhere is counted in {@code VOLFILES_LATE}.
 * The sequential sets start after a warm-up (200 sets by default, on both systems): the figures
 * are a long-running daemon's, not a JVM's first seconds of just-in-time compilation.
 * Prints a table with both systems and their ratio; writes CSV and a PNG chart. Run it through
 * {@code bench/vs-glusterd}.
 */
public final class VsGlusterd {
    private static final String OPTION = "network.ping-timeout";
    /** A brick-side option: every node with a brick (here every node) must rewrite its brick's graph. */
    private static final String BRICK_OPTION = "performance.io-thread-count";

    private VsGlusterd() {
    }

    record Config(List<Integer> sizes, int sets, int warmup, int clients, double concurrentSeconds, Path out, Path gddJar,
                  List<String> gddJvm, List<String> systems, Path work) {
    }

    public static void main(String[] args) throws Exception {
        Config c = parse(args);
        Files.createDirectories(c.out());
        List<Result> results = new ArrayList<>();
        for (int n : c.sizes()) {
            for (String system : c.systems()) {
                Path base = c.work().resolve(system);
                try (Pool pool = system.equals("glusterd") ? new GlusterdPool(base)
                        : new GddPool(base, c.gddJar(), c.gddJvm(), 24107)) {
                    System.out.printf(Locale.ROOT, "%n== %s, %d nodes%n", system, n);
                    List<Result> r = run(pool, n, c);
                    r.forEach(x -> System.out.printf(Locale.ROOT, "   %-55s %10.3f %s%n", x.metric().label, x.value(), x.metric().unit));
                    results.addAll(r);
                    Report.writeCsv(results, c.out().resolve("vs-glusterd.csv"));
                } finally {
                    Procs.deleteTree(Path.of("/bricks", "vsg-" + system));
                    Procs.deleteTree(base);
                }
            }
        }
        String table = Report.table(results, c.systems());
        System.out.println();
        System.out.print(table);
        Files.writeString(c.out().resolve("vs-glusterd.txt"), table);
        Report.writeCsv(results, c.out().resolve("vs-glusterd.csv"));
        Report.chart(results, c.out().resolve("vs-glusterd.png"));
        System.out.println("wrote " + c.out().resolve("vs-glusterd.csv") + ", .txt and .png");
    }

    static List<Result> run(Pool pool, int n, Config c) throws Exception {
        List<Result> r = new ArrayList<>();
        String s = pool.system();
        long t0 = System.nanoTime();
        pool.startDaemons(n);
        long t1 = System.nanoTime();
        pool.formPool();
        long t2 = System.nanoTime();
        r.add(new Result(s, n, Metric.FORMATION_S, (t2 - t0) / 1e9));
        r.add(new Result(s, n, Metric.STARTUP_S, (t1 - t0) / 1e9));
        r.add(new Result(s, n, Metric.PEERING_S, (t2 - t1) / 1e9));

        Path bricks = Path.of("/bricks", "vsg-" + s);
        long c0 = System.nanoTime();
        pool.createVolume("bench", brickDirs(bricks, "bench", n));
        r.add(new Result(s, n, Metric.CREATE_S, (System.nanoTime() - c0) / 1e9));
        for (int k = 1; k <= c.clients(); k++) {
            pool.createVolume("c" + k, brickDirs(bricks, "c" + k, n));
        }

        // sequential sets through one client on node 1; every node's volfiles checked after each (off the clock)
        List<Long> lat = new ArrayList<>();
        long late = 0;
        try (Pool.Client client = pool.client(1)) {
            for (int i = 0; i < c.warmup() + c.sets(); i++) {
                String value = Integer.toString(10 + i % 50);
                long a = System.nanoTime();
                client.setOption("bench", OPTION, value);
                long b = System.nanoTime();
                if (i >= c.warmup()) {
                    lat.add(b - a);
                    late += everyNodeHas(pool, n, "bench", "ping-timeout", value) ? 0 : 1;
                }
            }
        }
        Sample sets = Sample.of(lat);
        r.add(new Result(s, n, Metric.SET_P50_MS, sets.quantileMs(0.50)));
        r.add(new Result(s, n, Metric.SET_P99_MS, sets.quantileMs(0.99)));

        // the same with a brick-side option (values 10..59 of io-threads' 1..64)
        List<Long> brickLat = new ArrayList<>();
        try (Pool.Client client = pool.client(1)) {
            for (int i = 0; i < Math.min(c.warmup(), 50) + c.sets(); i++) {
                String value = Integer.toString(10 + i % 50);
                long a = System.nanoTime();
                client.setOption("bench", BRICK_OPTION, value);
                long b = System.nanoTime();
                if (i >= Math.min(c.warmup(), 50)) {
                    brickLat.add(b - a);
                    late += everyNodeHas(pool, n, "bench", "thread-count", value) ? 0 : 1;
                }
            }
        }
        Sample brickSets = Sample.of(brickLat);
        r.add(new Result(s, n, Metric.SET_BRICK_P50_MS, brickSets.quantileMs(0.50)));
        r.add(new Result(s, n, Metric.SET_BRICK_P99_MS, brickSets.quantileMs(0.99)));
        r.add(new Result(s, n, Metric.VOLFILES_LATE, late));

        // concurrent sets: client k on volume ck through node ((k-1) % n) + 1, for a fixed time
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        String[] last = new String[c.clients() + 1];
        ExecutorService pool8 = Executors.newFixedThreadPool(c.clients());
        long deadline = System.nanoTime() + (long) (c.concurrentSeconds() * 1e9);
        long w0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int k = 1; k <= c.clients(); k++) {
            int client = k;
            fs.add(pool8.submit(() -> {
                try (Pool.Client cl = pool.client(((client - 1) % n) + 1)) {
                    for (int i = 0; System.nanoTime() < deadline; i++) {
                        String value = Integer.toString(10 + i % 50);
                        try {
                            cl.setOption("c" + client, OPTION, value);
                            ok.incrementAndGet();
                            last[client] = value;
                        } catch (Pool.OpFailed e) {
                            failed.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double wall = (System.nanoTime() - w0) / 1e9;
        pool8.shutdown();
        r.add(new Result(s, n, Metric.CONCURRENT_OPS_S, ok.get() / wall));
        r.add(new Result(s, n, Metric.CONCURRENT_FAILED, failed.get()));
        for (int k = 1; k <= c.clients(); k++) {
            if (last[k] != null && !everyNodeHas(pool, n, "c" + k, "ping-timeout", last[k])) {
                throw new IllegalStateException(s + ": after the concurrent run, volume c" + k + "'s last value " + last[k]
                        + " is not in every node's volfiles");
            }
        }

        long v0 = System.nanoTime();
        pool.startVolume("bench");
        r.add(new Result(s, n, Metric.START_S, (System.nanoTime() - v0) / 1e9));
        long v1 = System.nanoTime();
        pool.stopVolume("bench");
        r.add(new Result(s, n, Metric.STOP_S, (System.nanoTime() - v1) / 1e9));

        Thread.sleep(10_000);
        double rss = pool.daemonPids().stream().mapToLong(Procs::rssBytes).average().orElse(Double.NaN) / 1e6;
        r.add(new Result(s, n, Metric.IDLE_RSS_MB, rss));

        for (int k = 1; k <= c.clients(); k++) {
            pool.deleteVolume("c" + k);
        }
        pool.deleteVolume("bench");
        return r;
    }

    /** One brick directory per node; their parents exist (glusterd creates only the last level). */
    private static List<String> brickDirs(Path root, String volume, int n) throws java.io.IOException {
        List<String> dirs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path parent = Files.createDirectories(root.resolve(volume).resolve("n" + i));
            dirs.add(parent.resolve("b").toString());
        }
        return dirs;
    }

    /** Whether every node has {@code option KEY VALUE} in the volfiles that carry the option, and no other value. */
    static boolean everyNodeHas(Pool pool, int n, String volume, String key, String value) throws Exception {
        for (int i = 1; i <= n; i++) {
            if (!Volfiles.carryOnly(pool.volfileTexts(i, volume), key, value)) {
                return false;
            }
        }
        return true;
    }

    static Config parse(String[] args) {
        List<Integer> sizes = List.of(3, 6, 12);
        int sets = 100;
        int warmup = 200;
        int clients = 8;
        double seconds = 15;
        Path out = Path.of("bench/results");
        Path jar = Path.of("examples/target/gd-examples.jar");
        List<String> jvm = List.of();
        List<String> systems = List.of("glusterd", "gdd");
        Path work = Path.of("/tmp/gd-vs-glusterd");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw usage("'" + a + "' needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--nodes" -> sizes = Arrays.stream(v.split(",")).map(x -> positive(a, x)).toList();
                case "--sets" -> sets = positive(a, v);
                case "--warmup" -> warmup = positive(a, v);
                case "--clients" -> clients = positive(a, v);
                case "--seconds" -> seconds = positive(a, v);
                case "--out" -> out = Path.of(v);
                case "--gdd-jar" -> jar = Path.of(v);
                case "--gdd-jvm" -> jvm = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--systems" -> {
                    systems = List.of(v.split(","));
                    for (String s : systems) {
                        if (!s.equals("glusterd") && !s.equals("gdd")) {
                            throw usage("--systems takes glusterd and/or gdd, got '" + s + "'");
                        }
                    }
                }
                case "--work" -> work = Path.of(v);
                default -> throw usage("unknown option '" + a + "'");
            }
        }
        for (int n : sizes) {
            if (n > 254) {
                throw usage("--nodes: at most 254 nodes on 127.1.1.0/24, got " + n);
            }
        }
        return new Config(sizes, sets, warmup, clients, seconds, out, jar, jvm, systems, work);
    }

    private static int positive(String option, String v) {
        try {
            int x = Integer.parseInt(v.trim());
            if (x > 0) {
                return x;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw usage(option + " needs a positive whole number, got '" + v + "'");
    }

    private static IllegalArgumentException usage(String why) {
        return new IllegalArgumentException(why + "\nusage: vs-glusterd [--nodes 3,6,12] [--sets 100] [--warmup 200] [--clients 8]"
                + " [--seconds 15] [--systems glusterd,gdd] [--out bench/results] [--gdd-jar JAR] [--gdd-jvm 'FLAGS'] [--work DIR]");
    }
}
