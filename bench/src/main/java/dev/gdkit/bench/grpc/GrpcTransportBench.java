package dev.gdkit.bench.grpc;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.InMemorySecurityStore;
import dev.gdkit.grpc.transport.GrpcTransport;
import dev.gdkit.grpc.transport.TransportSecurity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Step round trips over {@link GrpcTransport} on loopback, next to an empty gRPC call (the
 * transport's {@code Ping}) over the same channel in the same run. Closed loop: each of
 * {@code concurrency} threads makes one call at a time and waits for its reply.
 *
 * <pre>
 * GrpcTransportBench [--calls N] [--warmup N] [--rounds N] [--concurrency 1,8] [--context-bytes N]
 *                    [--modes mtls,plaintext,inprocess]
 * </pre>
 *
 * Each round measures both calls, alternating which goes first, and the rounds are pooled: on a
 * busy machine this keeps the order of measurement from favouring one of the two.
 */
public final class GrpcTransportBench {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private record Result(String mode, String call, int concurrency, int calls, double seconds, long[] nanos) {
        double perSecond() {
            return calls / seconds;
        }

        double percentileMicros(double p) {
            int i = (int) Math.ceil(p / 100.0 * nanos.length) - 1;
            return nanos[Math.max(0, Math.min(nanos.length - 1, i))] / 1000.0;
        }
    }

    @FunctionalInterface
    private interface OneCall {
        void run() throws Exception;
    }

    private GrpcTransportBench() {
    }

    public static void main(String[] args) throws Exception {
        int calls = 20_000;
        int warmup = 5_000;
        int contextBytes = 256;
        int rounds = 3;
        List<Integer> concurrency = List.of(1, 8);
        List<String> modes = List.of("mtls");
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--calls" -> calls = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--context-bytes" -> contextBytes = Integer.parseInt(v);
                case "--concurrency" -> concurrency = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                case "--modes" -> modes = List.of(v.split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; see the class javadoc");
            }
            i++;
        }
        System.out.printf(Locale.ROOT, "# GrpcTransportBench calls=%d warmup=%d rounds=%d context-bytes=%d cores=%d java=%s%n",
                calls, warmup, rounds, contextBytes, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        List<Result> results = new ArrayList<>();
        for (String mode : modes) {
            results.addAll(run(mode, calls, warmup, rounds, contextBytes, concurrency));
        }
        System.out.println("| transport | call | threads | calls | calls/s | p50 µs | p99 µs |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.0f | %.0f |%n", r.mode(), r.call(),
                    r.concurrency(), r.calls(), r.perSecond(), r.percentileMicros(50), r.percentileMicros(99));
        }
    }

    private static GrpcTransport.Builder transport(String mode, String node, ClusterAuthority authority) {
        GrpcTransport.Builder b = GrpcTransport.builder().node(NodeId.of(node));
        return switch (mode) {
            case "mtls" -> b.security(TransportSecurity.mutualTls(authority.issueCredentials(NodeId.of(node))));
            case "plaintext" -> b.security(TransportSecurity.insecurePlaintext());
            case "inprocess" -> b.security(TransportSecurity.insecurePlaintext())
                    .inProcess("bench-" + node + "-" + System.nanoTime());
            default -> throw new IllegalArgumentException("unknown mode " + mode + "; use mtls, plaintext or inprocess");
        };
    }

    private static List<Result> run(String mode, int calls, int warmup, int rounds, int contextBytes,
                                    List<Integer> concurrency) throws Exception {
        ClusterAuthority authority = ClusterAuthority.create("bench", new InMemorySecurityStore(), Clock.systemUTC());
        NodeId n2 = NodeId.of("n2");
        StepReply reply = StepReply.success(n2, Map.of("brick-id", "b-1"));
        InboundHandler handler = new InboundHandler() {
            @Override
            public JoinReply join(JoinRequest request) {
                throw new dev.gdkit.api.error.GdException(dev.gdkit.api.error.ErrorCode.FAILED_PRECONDITION,
                        "the benchmark's node admits no one", "joins are not part of this benchmark");
            }

            @Override
            public StepReply runStep(StepCall call) {
                return reply;
            }

            @Override
            public StepReply undoStep(StepCall call) {
                return reply;
            }

            @Override
            public void notify(Notification notification) {
            }
        };
        Map<String, String> context = new LinkedHashMap<>();
        context.put("volume", "gv0");
        context.put("payload", "x".repeat(Math.max(0, contextBytes)));
        StepCall call = new StepCall("txn-1", "req-1", "volume-create.prepare-brick", 1, NodeId.of("n1"), n2, context);
        List<Result> out = new ArrayList<>();
        try (GrpcTransport server = transport(mode, "n2", authority).build();
             GrpcTransport client = transport(mode, "n1", authority).build()) {
            String address = server.start(handler);
            client.start(handler);
            OneCall empty = () -> client.ping(address, DEADLINE).get();
            OneCall step = () -> client.runStep(address, call, DEADLINE).get();
            for (int c : concurrency) {
                measure(mode, "empty", c, warmup, empty);
                measure(mode, "runStep", c, warmup, step);
                List<Result> emptyRounds = new ArrayList<>();
                List<Result> stepRounds = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    if (r % 2 == 0) {
                        emptyRounds.add(measure(mode, "empty", c, calls / rounds, empty));
                        stepRounds.add(measure(mode, "runStep", c, calls / rounds, step));
                    } else {
                        stepRounds.add(measure(mode, "runStep", c, calls / rounds, step));
                        emptyRounds.add(measure(mode, "empty", c, calls / rounds, empty));
                    }
                }
                out.add(pool(emptyRounds));
                out.add(pool(stepRounds));
            }
        }
        return out;
    }

    private static Result pool(List<Result> rounds) {
        long[] all = rounds.stream().flatMapToLong(r -> Arrays.stream(r.nanos())).sorted().toArray();
        double seconds = rounds.stream().mapToDouble(Result::seconds).sum();
        Result first = rounds.get(0);
        return new Result(first.mode(), first.call(), first.concurrency(), all.length, seconds, all);
    }

    private static Result measure(String mode, String name, int threads, int calls, OneCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            int per = calls / threads;
            List<Callable<long[]>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    long[] lat = new long[per];
                    for (int i = 0; i < per; i++) {
                        long s = System.nanoTime();
                        call.run();
                        lat[i] = System.nanoTime() - s;
                    }
                    return lat;
                });
            }
            long start = System.nanoTime();
            List<Future<long[]>> fs = pool.invokeAll(tasks);
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] all = new long[per * threads];
            int k = 0;
            for (Future<long[]> f : fs) {
                long[] l = f.get();
                System.arraycopy(l, 0, all, k, l.length);
                k += l.length;
            }
            Arrays.sort(all);
            return new Result(mode, name, threads, all.length, seconds, all);
        } finally {
            pool.shutdownNow();
        }
    }
}
