package dev.gdkit.examples.gdd;

import dev.gdkit.api.error.GdException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code bin/gdd --listen ADDR --workdir DIR [--rest-port 24007] [--peer-port 24008] [--store-port 2181]}. */
public final class GddMain {
    private GddMain() {
    }

    static final String USAGE = """
            usage: gdd --listen ADDR --workdir DIR [--rest-port N] [--peer-port N] [--store-port N]
                       [--brick-port-base N] [--glusterfsd PATH] [--glusterfs PATH]
              --listen ADDR       the address every listener binds (REST, gRPC, ZooKeeper, bricks)
              --workdir DIR       node state, ZooKeeper data, volfiles, pid and log files
              --rest-port N       REST API port (default 24007, GlusterD2's client port; 0 = any free)
              --peer-port N       gRPC port between nodes (default 24008; 0 = any free)
              --store-port N      embedded ZooKeeper client port (default 2181; 0 = any free)
              --simulate-bricks true   run simulated brick processes (listen only, no data) instead of glusterfsd
            """;

    public static void main(String[] args) throws Exception {
        String listen = null;
        Path workdir = null;
        GddSettings.Builder b;
        java.util.Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.print(USAGE);
                return;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                System.err.print("gdd: bad argument '" + a + "'\n" + USAGE);
                System.exit(2);
            }
            opts.put(a.substring(2), args[++i]);
        }
        listen = opts.remove("listen");
        String wd = opts.remove("workdir");
        if (listen == null || wd == null) {
            System.err.print("gdd: --listen and --workdir are required\n" + USAGE);
            System.exit(2);
        }
        workdir = Path.of(wd);
        b = GddSettings.builder(listen, workdir);
        try {
            for (var e : opts.entrySet()) {
                switch (e.getKey()) {
                    case "rest-port" -> b.restPort(Integer.parseInt(e.getValue()));
                    case "peer-port" -> b.peerPort(Integer.parseInt(e.getValue()));
                    case "store-port" -> b.storePort(Integer.parseInt(e.getValue()));
                    case "brick-port-base" -> b.brickPortBase(Integer.parseInt(e.getValue()));
                    case "glusterfsd" -> b.glusterfsd(e.getValue());
                    case "glusterfs" -> b.glusterfs(e.getValue());
                    case "simulate-bricks" -> b.simulateBricks(Boolean.parseBoolean(e.getValue()));
                    default -> {
                        System.err.print("gdd: unknown option --" + e.getKey() + "\n" + USAGE);
                        System.exit(2);
                    }
                }
            }
        } catch (NumberFormatException e) {
            System.err.print("gdd: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        }
        Gdd gdd;
        try {
            gdd = new Gdd(b.build()).start();
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
        System.out.println("gdd " + gdd.id() + " listening: REST " + listen + ":" + gdd.restPort() + ", gRPC " + gdd.peerAddress());
        done.await();
    }
}
