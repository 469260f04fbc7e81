package dev.gdkit.examples.gdd;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.IntSupplier;

/** Prometheus text exposition (format 0.0.4) of gdd's request and transaction latencies and gauges. */
final class Metrics {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** One labelled histogram series. */
    private static final class Series {
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        final DoubleAdder sum = new DoubleAdder();

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sum.add(seconds);
        }
    }

    private final Map<String, Series> requests = new ConcurrentHashMap<>();
    private final Map<String, Series> transactions = new ConcurrentHashMap<>();

    void request(String method, String route, int status, long nanos) {
        requests.computeIfAbsent(labels("method", method, "route", route, "code", Integer.toString(status)), k -> new Series())
                .observe(nanos / 1e9);
    }

    void transaction(String operation, boolean ok, long nanos) {
        transactions.computeIfAbsent(labels("operation", operation, "result", ok ? "ok" : "error"), k -> new Series())
                .observe(nanos / 1e9);
    }

    String render(IntSupplier peersUp, IntSupplier peersTotal, IntSupplier bricksOnline) {
        StringBuilder sb = new StringBuilder();
        histogram(sb, "gdd_http_request_duration_seconds", "REST request latency", requests);
        histogram(sb, "gdd_transaction_duration_seconds", "latency of cluster operations (volume create, start, ...)", transactions);
        gauge(sb, "gdd_peers_up", "peers whose liveness registration is present", peersUp.getAsInt());
        gauge(sb, "gdd_peers", "peers in the pool", peersTotal.getAsInt());
        gauge(sb, "gdd_bricks_online", "bricks of this node whose glusterfsd runs", bricksOnline.getAsInt());
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, int value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private static void histogram(StringBuilder sb, String name, String help, Map<String, Series> all) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" histogram\n");
        for (Map.Entry<String, Series> e : new TreeMap<>(all).entrySet()) {
            String l = e.getKey();
            Series s = e.getValue();
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += s.counts.get(i);
                String le = i < BUCKETS.length ? trim(BUCKETS[i]) : "+Inf";
                sb.append(name).append("_bucket{").append(l).append(",le=\"").append(le).append("\"} ").append(cumulative).append('\n');
            }
            sb.append(name).append("_sum{").append(l).append("} ").append(String.format(Locale.ROOT, "%.6f", s.sum.sum())).append('\n');
            sb.append(name).append("_count{").append(l).append("} ").append(cumulative).append('\n');
        }
    }

    private static String trim(double d) {
        String s = Double.toString(d);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String labels(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(kv[i]).append("=\"").append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return sb.toString();
    }
}
