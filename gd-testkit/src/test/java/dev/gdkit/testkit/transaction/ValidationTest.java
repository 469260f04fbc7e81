package dev.gdkit.testkit.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.Transaction;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every malformed transaction is refused before any step runs, naming the offender, changing nothing. */
class ValidationTest {
    private SimulatedCluster c;

    @BeforeEach
    void setUp() {
        c = SimulatedCluster.builder().nodes(3).recordingSteps("a", "b")
                // "only-n1" exists on n1 only; "v2" was introduced at op-version 2 (nodes run [1, 2], cluster at 1)
                .steps((id, disk) -> id.value().equals("n1")
                        ? List.of(Step.of("only-n1", ctx -> { }, null), Step.of("v2", OpVersion.of(2), ctx -> { }, null))
                        : List.of(Step.of("v2", OpVersion.of(2), ctx -> { }, null)))
                .opVersions(id -> OpVersionRange.of(1, 2))
                .build();
    }

    @AfterEach
    void tearDown() {
        c.close();
    }

    private void assertRefused(Function<SimulatedCluster, SimulatedCluster.PlannedTransaction> t, ErrorCode code,
                               String... mentions) {
        var txn = t.apply(c);
        var before = c.store().snapshot(c.namespace());
        assertThatThrownBy(() -> c.execute(c.node(1), txn)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            for (String m : mentions) {
                assertThat(e.getMessage()).contains(m);
            }
            assertThat(e.remedy()).isNotBlank();
        });
        assertThat(c.store().snapshot(c.namespace())).isEqualTo(before);
        for (NodeId n : c.ids()) {
            assertThat(c.disk(n).under("applied/")).isEmpty();
        }
    }

    @Test
    void unknownStepIsRefused() {
        assertRefused(x -> x.transaction("t").lock("volume:v").step("a", x.ids()).step("nope", x.id(2)),
                ErrorCode.STEP_UNKNOWN, "'nope'", "coordinator");
    }

    @Test
    void stepMissingOnATargetNodeIsRefusedNamingTheNode() {
        assertRefused(x -> x.transaction("t").step("a", x.ids()).step("only-n1", x.id(1), x.id(3)),
                ErrorCode.STEP_UNKNOWN, "node n3", "'only-n1'");
    }

    @Test
    void stepAboveTheClusterOpVersionIsRefused() {
        assertRefused(x -> x.transaction("t").step("a", x.ids()).step("v2", x.ids()),
                ErrorCode.OP_VERSION_TOO_LOW, "'v2'", "op-version 2", "op-version 1");
    }

    @Test
    void emptyNodeListIsRefused() {
        assertRefused(x -> x.transaction("t").step("a", x.ids()).step("b", List.of()),
                ErrorCode.TRANSACTION_INVALID, "'b'", "no nodes");
    }

    @Test
    void nodeOutsideTheClusterIsRefused() {
        assertRefused(x -> x.transaction("t").step("a", x.id(1), NodeId.of("stranger")),
                ErrorCode.NODE_NOT_IN_CLUSTER, "stranger", "'a'");
    }

    @Test
    void duplicateStepNamesAreRefused() {
        assertRefused(x -> x.transaction("t").step("a", x.ids()).step("b", x.ids()).step("a", x.id(2)),
                ErrorCode.TRANSACTION_INVALID, "'a'", "twice", "position 2");
    }

    @Test
    void sameNodeTwiceInAStepIsRefused() {
        assertRefused(x -> x.transaction("t").step("a", x.id(2), x.id(2)), ErrorCode.TRANSACTION_INVALID, "twice");
    }

    @Test
    void downNodeIsRefusedUpFront() {
        c.crash(c.id(3));
        awaitTrue(() -> !c.node(1).membership().isAlive(c.id(3)));
        var before = c.store().snapshot(c.namespace());
        var txn = c.transaction("t").lock("volume:v").step("a", c.ids());
        assertThatThrownBy(() -> c.execute(c.node(1), txn)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
            assertThat(e.getMessage()).contains("n3").contains("down");
        });
        assertThat(c.store().snapshot(c.namespace())).isEqualTo(before);
    }

    @Test
    void transactionWithNothingToDoIsRefused() {
        Transaction empty = Transaction.builder("nothing").build();
        assertThatThrownBy(() -> c.node(1).transactions().execute(empty)).isInstanceOfSatisfying(GdException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_INVALID));
    }

    @Test
    void invalidLockNameIsRefused() {
        Transaction t = Transaction.builder("bad-lock").lock("volume/v").step("a", c.id(1)).build();
        assertThatThrownBy(() -> c.node(1).transactions().execute(t)).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_INVALID);
            assertThat(e.getMessage()).contains("volume/v");
        });
    }

    @Test
    void aNodeThatLeftRefusesToRunSteps() {
        c.node(1).membership().markLeft(c.id(3));
        var txn = c.transaction("t").step("a", c.id(3));
        assertThatThrownBy(() -> c.execute(c.node(1), txn)).isInstanceOfSatisfying(GdException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_NOT_IN_CLUSTER));
        // and if a stale coordinator sends it a step anyway, the node itself refuses (once it has seen its removal)
        awaitTrue(() -> c.node(3).membership().record(c.id(3)).orElseThrow().state() == dev.gdkit.api.model.PeerState.LEFT);
        var reply = c.node(3).transactions().handleRun(new dev.gdkit.core.transport.StepCall("x", "", "a", 0, c.id(1),
                c.id(3), java.util.Map.of()));
        assertThat(reply.ok()).isFalse();
        assertThat(reply.message()).contains("left the cluster");
    }

    private static void awaitTrue(java.util.function.BooleanSupplier cond) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
        }
    }
}
