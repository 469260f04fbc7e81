package dev.gdkit.grpc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.core.node.GdNode;
import dev.gdkit.core.store.memory.InMemoryStoreServer;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.core.transaction.TransactionResult;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.InMemorySecurityStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gd-core's engine on the gRPC transport with mutual TLS: join, a committed and a rolled-back transaction. */
class GdNodeOverGrpcTest {
    private final InMemoryStoreServer store = InMemoryStoreServer.create();
    private final ClusterAuthority authority =
            ClusterAuthority.create("c1", new InMemorySecurityStore(), Clock.systemUTC());
    private final List<GdNode> nodes = new ArrayList<>();
    /** "node:step:run" / "node:step:undo" for every step action that ran. */
    private final Set<String> applied = ConcurrentHashMap.newKeySet();

    @AfterEach
    void close() {
        nodes.forEach(GdNode::close);
        store.close();
    }

    private GdNode node(String name) {
        NodeId id = NodeId.of(name);
        GrpcTransport t = GrpcTransport.builder().node(id)
                .security(TransportSecurity.mutualTls(authority.issueCredentials(id))).authority(authority).build();
        GdNode n = GdNode.builder().id(id).store(store.connect("c1")).transport(t)
                .step(Step.of("demo.touch", OpVersion.MIN, ctx -> {
                    applied.add(name + ":touch:run");
                    ctx.output(ctx.nodeKey("touched"), "yes");
                }, ctx -> applied.add(name + ":touch:undo")))
                .step(Step.of("demo.fail-on-n3", OpVersion.MIN, ctx -> {
                    if (name.equals("n3")) {
                        throw new IllegalStateException("disk full on n3");
                    }
                    applied.add(name + ":fail:run");
                }, ctx -> applied.add(name + ":fail:undo")))
                .build();
        nodes.add(n);
        return n.start();
    }

    @Test
    void aClusterFormsOverMutualTlsAndRunsTransactions() {
        GdNode n1 = node("n1");
        n1.bootstrap();
        GdNode n2 = node("n2");
        n2.join(n1.address());
        GdNode n3 = node("n3");
        n3.join(n2.address());
        assertThat(n1.peers()).extracting(p -> p.id().value()).containsExactlyInAnyOrder("n1", "n2", "n3");
        List<NodeId> all = List.of(n1.id(), n2.id(), n3.id());

        TransactionResult ok = n2.transactions().execute(Transaction.builder("demo").lock("volume:v1")
                .step("demo.touch", all).build());
        assertThat(ok.status()).isEqualTo(TransactionResult.Status.COMMITTED);
        assertThat(ok.context()).containsEntry("touched@n1", "yes").containsEntry("touched@n3", "yes");
        assertThat(applied).containsExactlyInAnyOrder("n1:touch:run", "n2:touch:run", "n3:touch:run");

        applied.clear();
        TransactionResult failed = n1.transactions().execute(Transaction.builder("demo-fail").lock("volume:v2")
                .step("demo.touch", all).step("demo.fail-on-n3", all).build());
        assertThat(failed.status()).isEqualTo(TransactionResult.Status.ROLLED_BACK);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e.toString()).contains("disk full on n3"));
        assertThat(applied).contains("n1:touch:undo", "n2:touch:undo", "n3:touch:undo")
                .doesNotContain("n3:fail:run");
    }
}
