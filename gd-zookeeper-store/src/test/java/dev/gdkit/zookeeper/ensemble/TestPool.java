package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.core.node.FileLocalState;
import dev.gdkit.testkit.assertions.Eventually;
import dev.gdkit.zookeeper.embedded.FourLetterWords;
import dev.gdkit.zookeeper.store.ZkTesting;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A pool of nodes in this JVM, each with its own directory, durable local state, ensemble
 * controller and store client, on kernel-chosen loopback ports; short timers for tests.
 */
final class TestPool implements AutoCloseable {
    static final String SUPER_PASSWORD = "gdkit-test";
    private final Path dir = ZkTesting.tempDir("gd-zk-pool");
    private final List<Node> nodes = new ArrayList<>();
    private final Duration goneAfter;

    TestPool(Duration goneAfter) {
        this.goneAfter = goneAfter;
    }

    /** One node: its controller, and its store client while it runs. */
    final class Node {
        final String id;
        final FileLocalState state;
        EnsembleController controller;
        ZooKeeperClusterStore store;

        Node(String id) {
            this.id = id;
            this.state = new FileLocalState(dir.resolve(id).resolve("node.state"));
            this.controller = newController();
        }

        EnsembleController newController() {
            return EnsembleController.builder().nodeId(id).host("127.0.0.1").clientPort(0).quorumPort(0).electionPort(0)
                    .baseDir(dir.resolve(id).resolve("zookeeper")).localState(state).goneAfter(goneAfter)
                    .candidateTimeout(Duration.ofSeconds(60)).checkInterval(Duration.ofMillis(200)).tickTime(Duration.ofMillis(1000))
                    .startTimeout(Duration.ofSeconds(60)).superPassword(SUPER_PASSWORD).build();
        }

        Node connect(String connect) {
            store = ZooKeeperClusterStore.builder().connectString(connect).namespace("pool").sessionTimeout(Duration.ofSeconds(10))
                    .operationTimeout(Duration.ofSeconds(20)).build();
            controller.attach(store);
            return this;
        }

        /** The node stops (as a crash does for the others: its server and its session end). */
        void stop() {
            controller.detach();
            if (store != null) {
                store.close();
                store = null;
            }
            controller.close();
        }

        /** The node starts again from its directory. */
        Node restart() {
            controller = newController();
            Optional<String> connect = controller.resume();
            return connect(connect.orElseThrow());
        }

        int serverId() {
            return controller.status().record().orElseThrow().serverId();
        }

        Optional<String> mode() {
            String[] hp = controller.clientAddress().split(":");
            return FourLetterWords.mode(hp[0], Integer.parseInt(hp[1]));
        }
    }

    Node bootstrap(String id) {
        Node n = new Node(id);
        nodes.add(n);
        return n.connect(n.controller.bootstrap());
    }

    Node join(String id) {
        Node n = new Node(id);
        nodes.add(n);
        String connect = nodes.get(0).controller.connectString();
        for (Node other : nodes) {
            if (other.store != null && other != n) {
                connect = other.controller.connectString();
                break;
            }
        }
        n.controller.joining(connect);
        return n.connect(connect);
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The committed voters, read through {@code via}'s server as the superuser. */
    Map<Integer, String> voters(Node via) {
        try (EnsembleReconfigurer r = new EnsembleReconfigurer(via.controller.connectString(), "super", SUPER_PASSWORD,
                Duration.ofSeconds(30))) {
            return r.voters();
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Eventually.await(what, timeout, condition);
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            try {
                n.stop();
            } catch (RuntimeException e) {
                // best effort
            }
        }
        ZkTesting.delete(dir);
    }
}
