package dev.gdkit.core.opversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpVersionPolicyTest {
    private static OpVersion v(int n) {
        return OpVersion.of(n);
    }

    @Test
    void followUsageLowersWithUseButNotBelowTheFloor() {
        OpVersionPolicy p = OpVersionPolicy.followUsage();
        assertThat(p.target(v(5), v(3), v(2))).isEqualTo(v(3));
        assertThat(p.target(v(5), v(1), v(2))).isEqualTo(v(2));
        assertThat(p.target(v(1), v(4), v(1))).isEqualTo(v(4));
    }

    @Test
    void neverLowerOnlyGoesUp() {
        OpVersionPolicy p = OpVersionPolicy.neverLower();
        assertThat(p.target(v(5), v(3), v(2))).isEqualTo(v(5));
        assertThat(p.target(v(5), v(7), v(2))).isEqualTo(v(7));
    }

    @Test
    void maxClusterVersionIsTheLowestMaximum() {
        assertThat(OpVersionPolicy.followUsage().maxClusterVersion(List.of(OpVersionRange.of(1, 9), OpVersionRange.of(2, 4))))
                .isEqualTo(v(4));
    }

    @Test
    void joinIsRefusedWithBothVersions() {
        OpVersionPolicy p = OpVersionPolicy.followUsage();
        p.checkJoin(v(3), OpVersionRange.of(1, 3), "old");
        assertThatThrownBy(() -> p.checkJoin(v(4), OpVersionRange.of(1, 3), "old")).isInstanceOfSatisfying(GdException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.OP_VERSION_INCOMPATIBLE);
            assertThat(e.getMessage()).contains("old").contains("[1, 3]").contains("op-version 4");
            assertThat(e.remedy()).contains("upgrade");
        });
        assertThatThrownBy(() -> p.checkJoin(v(1), OpVersionRange.of(2, 3), "new")).isInstanceOfSatisfying(GdException.class,
                e -> assertThat(e.remedy()).contains("too new"));
    }
}
