package dev.gdkit.examples.gdd;

import dev.gdkit.api.error.GdException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code bin/gdd --listen ADDR --workdir DIR [--rest-port 24007] [--peer-port 24008] [--store-port 2181] ...}. */
public final class GddMain {
    private GddMain() {
    }

    static final String USAGE = """
            usage: gdd --listen ADDR --workdir DIR [--rest-port N] [--peer-port N] [--store-port N]
                       [--quorum-port N] [--election-port N] [--voter-grace SECONDS]
                       [--brick-port-base N] [--glusterfsd PATH] [--glusterfs PATH]
              --listen ADDR       the address every listener binds (REST, gRPC, ZooKeeper, bricks)
              --workdir DIR       node state, ZooKeeper data, volfiles, pid and log files
              --rest-port N       REST API port (default 24007, GlusterD2's client port; 0 = any free)
              --peer-port N       gRPC port between nodes (default 24008; 0 = any free)
              --store-port N      embedded ZooKeeper client port (default 2181; 0 = any free)
              --quorum-port N     embedded ZooKeeper quorum port, used while the node is a voter (default 2888; 0 = any free)
              --election-port N   embedded ZooKeeper leader election port (default 3888; 0 = any free)
              --voter-grace S     seconds a voter may be unreachable before another node takes its vote (default 30)
              --simulate-bricks true   run simulated brick processes (listen only, no data) instead of glusterfsd
            """;

    /** A command line gdd cannot run with: the message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** The settings a command line asks for; refuses bad arguments, ports and durations before anything is created. */
    static GddSettings settings(String[] args) throws UsageException {
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("bad argument '" + a + "'");
            }
            opts.put(a.substring(2), args[++i]);
        }
        String listen = opts.remove("listen");
        String wd = opts.remove("workdir");
        if (listen == null || wd == null) {
            throw new UsageException("--listen and --workdir are required");
        }
        GddSettings.Builder b = GddSettings.builder(listen, Path.of(wd));
        for (var e : opts.entrySet()) {
            String v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "rest-port" -> b.restPort(Integer.parseInt(v));
                    case "peer-port" -> b.peerPort(Integer.parseInt(v));
                    case "store-port" -> b.storePort(Integer.parseInt(v));
                    case "quorum-port" -> b.quorumPort(Integer.parseInt(v));
                    case "election-port" -> b.electionPort(Integer.parseInt(v));
                    case "voter-grace" -> b.voterGrace(java.time.Duration.ofSeconds(Long.parseLong(v)));
                    case "brick-port-base" -> b.brickPortBase(Integer.parseInt(v));
                    case "glusterfsd" -> b.glusterfsd(v);
                    case "glusterfs" -> b.glusterfs(v);
                    case "simulate-bricks" -> b.simulateBricks(Boolean.parseBoolean(v));
                    default -> throw new UsageException("unknown option --" + e.getKey());
                }
            } catch (NumberFormatException x) {
                throw new UsageException("--" + e.getKey() + " '" + v + "' is not a number");
            }
        }
        try {
            return b.build();
        } catch (GdException x) {
            throw new UsageException(x.getMessage() + (x.remedy().isEmpty() ? "" : " (" + x.remedy() + ")"));
        }
    }

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("-h") || java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(USAGE);
            return;
        }
        GddSettings settings;
        try {
            settings = settings(args);
        } catch (UsageException e) {
            System.err.print("gdd: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Gdd gdd;
        try {
            gdd = new Gdd(settings).start();
        } catch (GdException e) {
            System.err.println("gdd: " + e.getMessage() + (e.remedy().isEmpty() ? "" : " (" + e.remedy() + ")"));
            System.exit(1);
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gdd.close();
            done.countDown();
        }, "gdd-shutdown"));
        System.out.println("gdd " + gdd.id() + " listening: REST " + settings.host() + ":" + gdd.restPort() + ", gRPC " + gdd.peerAddress());
        done.await();
    }
}
