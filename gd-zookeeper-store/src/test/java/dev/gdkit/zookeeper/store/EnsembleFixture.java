package dev.gdkit.zookeeper.store;

import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** N embedded ZooKeeper servers forming one ensemble on kernel-chosen loopback ports, in this JVM. */
final class EnsembleFixture implements AutoCloseable {
    private final Path dir;
    private final List<Member> members = new ArrayList<>();
    private final List<EmbeddedZooKeeperServer> servers = new ArrayList<>();

    EnsembleFixture(int size) {
        this.dir = ZkTesting.tempDir("gd-zk-ensemble");
        int[] ports = LoopbackPorts.free("127.0.0.1", size * 3);
        for (int i = 0; i < size; i++) {
            members.add(new Member(i + 1, "127.0.0.1", ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        for (Member m : members) {
            servers.add(EmbeddedZooKeeperServer.builder()
                    .baseDir(dir.resolve("server-" + m.id()))
                    .tickTime(Duration.ofMillis(500))
                    .startTimeout(Duration.ofSeconds(60))
                    .ensemble(m.id(), members)
                    .build());
        }
    }

    /** Starts every member at once (a member waits for a quorum) and waits until all serve. */
    EnsembleFixture start() {
        List<CompletableFuture<EmbeddedZooKeeperServer>> starts = new ArrayList<>();
        for (EmbeddedZooKeeperServer s : servers) {
            starts.add(CompletableFuture.supplyAsync(s::start));
        }
        starts.forEach(CompletableFuture::join);
        return this;
    }

    String connectString() {
        return members.stream().map(Member::clientAddress).collect(Collectors.joining(","));
    }

    List<EmbeddedZooKeeperServer> servers() {
        return servers;
    }

    /** The member that is leader now. */
    EmbeddedZooKeeperServer leader() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (EmbeddedZooKeeperServer s : servers) {
                if (s.isRunning() && s.mode().filter("leader"::equals).isPresent()) {
                    return s;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no ensemble member became leader within 60 s");
    }

    @Override
    public void close() {
        for (EmbeddedZooKeeperServer s : servers) {
            s.close();
        }
        ZkTesting.delete(dir);
    }
}
