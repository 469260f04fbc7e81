package dev.gdkit.zookeeper.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;

import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.LoopbackPorts;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Promotion by dynamic reconfiguration: three voters serve; a fourth node's server starts and
 * follows without a vote; voter 2 dies for good, the plan promotes node 4 and removes 2; then
 * voter 1 dies too and the ensemble {3, 4} of {1, 3, 4} still has its quorum (without the
 * promotion, {1, 2, 3} with 1 and 2 dead would have none).
 */
class DynamicReconfigTest {
    private final List<EmbeddedZooKeeperServer> servers = new ArrayList<>();
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        servers.forEach(EmbeddedZooKeeperServer::close);
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private EmbeddedZooKeeperServer server(int id, List<Member> members) {
        EmbeddedZooKeeperServer s = EmbeddedZooKeeperServer.builder().baseDir(dir.resolve("s" + id)).tickTime(Duration.ofMillis(500))
                .startTimeout(Duration.ofSeconds(60)).ensemble(id, members).build();
        servers.add(s);
        return s;
    }

    @Test
    void aDeadVoterIsReplacedByTheNextNodeAndTheEnsembleSurvivesASecondLoss() throws Exception {
        dir = Files.createTempDirectory("gd-zk-reconfig");
        int[] ports = LoopbackPorts.free("127.0.0.1", 12);
        List<Member> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(new Member(i + 1, "127.0.0.1", ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        List<Member> first3 = all.subList(0, 3);
        List<EmbeddedZooKeeperServer> voters = first3.stream().map(m -> server(m.id(), first3)).toList();
        voters.stream().map(s -> CompletableFuture.runAsync(s::start)).toList().forEach(CompletableFuture::join);
        String everyone = all.stream().map(Member::clientAddress).collect(Collectors.joining(","));

        try (ZooKeeperClusterStore store = ZooKeeperClusterStore.builder().connectString(everyone).namespace("c1")
                .sessionTimeout(Duration.ofSeconds(10)).operationTimeout(Duration.ofSeconds(10)).build();
             EnsembleReconfigurer admin = new EnsembleReconfigurer(first3.get(0).clientAddress(), "super", "gdkit-test",
                     Duration.ofSeconds(30))) {
            store.put("volumes/v1", "before");
            assertThat(admin.voters()).containsOnlyKeys(1, 2, 3);

            // node 4 joins the pool: its server starts knowing everyone and follows without a vote
            server(4, all).start();

            // voter 2 dies for good
            voters.get(1).close();
            EnsemblePlan plan = EnsemblePlan.of(List.of(1, 2, 3, 4), Set.of(2), admin.voters().keySet());
            assertThat(plan.add()).containsExactly(4);
            assertThat(plan.remove()).containsExactly(2);
            for (int id : plan.add()) {
                admin.addVoter(all.get(id - 1));
            }
            for (int id : plan.remove()) {
                admin.removeVoter(id);
            }
            assertThat(admin.voters()).containsOnlyKeys(1, 3, 4);
            store.put("volumes/v2", "after promotion");

            // voter 1 dies too: 3 and 4 are a majority of {1, 3, 4}
            voters.get(0).close();
            store.put("volumes/v3", "two of three voters left");
            assertThat(store.get("volumes/v1").orElseThrow().valueAsString()).isEqualTo("before");
            assertThat(store.children("volumes")).hasSize(3);
        }
    }

    @Test
    void onlyTheSuperuserMayReconfigure() throws Exception {
        dir = Files.createTempDirectory("gd-zk-reconfig");
        int[] ports = LoopbackPorts.free("127.0.0.1", 9);
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new Member(i + 1, "127.0.0.1", ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]));
        }
        members.stream().map(m -> server(m.id(), members)).toList().stream().map(s -> CompletableFuture.runAsync(s::start))
                .toList().forEach(CompletableFuture::join);
        try (EnsembleReconfigurer wrong = new EnsembleReconfigurer(members.get(0).clientAddress(), "super", "guess",
                Duration.ofSeconds(30))) {
            Throwable t = catchThrowable(() -> wrong.removeVoter(3));
            assertThat(t).isInstanceOf(GdException.class).hasMessageContaining("removing voter 3").hasMessageContaining("superuser");
            assertThat(((GdException) t).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
            assertThat(wrong.voters()).containsOnlyKeys(1, 2, 3);
        }
    }
}
