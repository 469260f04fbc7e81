package dev.gdkit.core.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.store.StoreOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepRegistryTest {
    @Test
    void registersAndFindsSteps() {
        StepRegistry r = new StepRegistry().register(Step.of("volume-create.prepare", ctx -> { }, null));
        assertThat(r.find("volume-create.prepare")).isPresent();
        assertThat(r.find("nope")).isEmpty();
        assertThat(r.names()).containsExactly("volume-create.prepare");
    }

    @Test
    void refusesDuplicateNames() {
        StepRegistry r = new StepRegistry().register(Step.of("a", ctx -> { }, null));
        assertThatThrownBy(() -> r.register(Step.of("a", ctx -> { }, null))).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
            assertThat(e.getMessage()).contains("'a'");
        });
    }

    @Test
    void refusesInvalidNames() {
        for (String bad : new String[] {"", "Upper", "has space", "-lead", "x".repeat(129)}) {
            assertThatThrownBy(() -> new StepRegistry().register(Step.of(bad, ctx -> { }, null)))
                    .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
    }

    @Test
    void stepContextCarriesIdsContextAndOutputs() {
        StepContext ctx = new StepContext("t1", "r1", NodeId.of("n2"), "s", 3, Map.of("k", "v"));
        assertThat(ctx.require("k")).isEqualTo("v");
        assertThat(ctx.get("missing")).isEmpty();
        assertThatThrownBy(() -> ctx.require("missing")).hasMessageContaining("'missing'").hasMessageContaining("step s");
        ctx.output(ctx.nodeKey("dir"), "/b");
        assertThat(ctx.outputs()).containsEntry("dir@n2", "/b");
        assertThat(ctx.stepIndex()).isEqualTo(3);
    }

    @Test
    void transactionBuilderKeepsOrderLocksAndCommit() {
        Transaction t = Transaction.builder("op").reqId("r").lock("volume:b").lock("volume:a")
                .step("s1", NodeId.of("n1")).step("s2", List.of(NodeId.of("n1"), NodeId.of("n2")))
                .context("k", "v").commit(ctx -> List.of(StoreOp.put("x", ctx.get("k")))).build();
        assertThat(t.locks()).containsExactly("volume:a", "volume:b");
        assertThat(t.steps()).extracting(StepPlan::step).containsExactly("s1", "s2");
        assertThat(t.commitOps(Map.of("k", "z"))).singleElement().satisfies(op -> assertThat(op.key()).isEqualTo("x"));
        assertThat(t.id()).isNotBlank();
        assertThatThrownBy(() -> Transaction.builder(" ")).isInstanceOf(GdException.class);
    }
}
