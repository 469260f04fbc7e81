package dev.gdkit.bench.volgen;

import dev.gdkit.core.volgen.VolfileSet;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.GlusterVolgen;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;

/**
 * A quick check without JMH: warms up (100 runs), then prints the median and best of N runs of
 * {@link VolgenBenchmark#allVolfiles()}'s work, as wall time and as the calling thread's CPU time
 * (which time spent waiting for a core on a busy machine does not inflate), and the output size.
 * {@code java -cp ... dev.gdkit.bench.volgen.VolgenTiming [BRICKS] [REPLICA] [RUNS]}
 */
public final class VolgenTiming {
    private VolgenTiming() {
    }

    public static void main(String[] args) {
        int bricks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int replica = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        GlusterOptionCatalog catalog = GlusterOptionCatalog.builtin();
        GlusterVolgen volgen = GlusterVolgen.builder().catalog(catalog).build();
        VolgenRequest req = VolgenRequest.builder(VolgenBenchmark.volume(catalog, bricks, replica)).credentials("u", "p").build();
        VolfileSet last = null;
        for (int i = 0; i < 100; i++) {
            last = volgen.generate(req);
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] t = new long[runs];
        long[] cpu = new long[runs];
        for (int i = 0; i < runs; i++) {
            long c = mx.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            last = volgen.generate(req);
            t[i] = System.nanoTime() - s;
            cpu[i] = mx.getCurrentThreadCpuTime() - c;
        }
        java.util.Arrays.sort(t);
        java.util.Arrays.sort(cpu);
        long chars = last.files().stream().mapToLong(f -> f.text().length()).sum();
        System.out.printf("bricks=%d replica=%d files=%d chars=%d wall: median=%.1f ms best=%.1f ms;"
                        + " thread cpu: median=%.1f ms best=%.1f ms%n", bricks, replica, last.files().size(), chars,
                t[runs / 2] / 1e6, t[0] / 1e6, cpu[runs / 2] / 1e6, cpu[0] / 1e6);
    }
}
