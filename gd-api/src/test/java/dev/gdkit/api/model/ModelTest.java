package dev.gdkit.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {
    @Test
    void nodeIdsAreValidated() {
        assertThat(NodeId.of("n1").value()).isEqualTo("n1");
        for (String bad : new String[] {"", "-x", "a/b", "a b", "x".repeat(65), null}) {
            assertThatThrownBy(() -> NodeId.of(bad)).isInstanceOfSatisfying(GdException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).contains("invalid node id");
                assertThat(e.remedy()).contains("letters");
            });
        }
    }

    @Test
    void opVersionsCompareAndRangesCheck() {
        assertThat(OpVersion.of(100000).atLeast(OpVersion.of(90000))).isTrue();
        assertThat(OpVersion.max(OpVersion.of(3), OpVersion.of(5))).isEqualTo(OpVersion.of(5));
        assertThat(OpVersionRange.of(1, 5).contains(OpVersion.of(5))).isTrue();
        assertThat(OpVersionRange.of(1, 5).contains(OpVersion.of(6))).isFalse();
        assertThatThrownBy(() -> OpVersion.of(0)).isInstanceOf(GdException.class);
        assertThatThrownBy(() -> OpVersionRange.of(5, 1)).isInstanceOfSatisfying(GdException.class,
                e -> assertThat(e.getMessage()).contains("[5, 1]"));
    }

    @Test
    void bricksNeedAbsolutePaths() {
        assertThatThrownBy(() -> new Brick("b", NodeId.of("n1"), "h1", "rel/path", BrickType.BRICK))
                .isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("h1").contains("not absolute"));
    }

    @Test
    void volumesAreImmutable() {
        Volume v = new Volume("id", "v", VolumeType.DISTRIBUTE, null, List.of(), Map.of("a", "b"), VolumeState.CREATED, Map.of());
        assertThat(v.transport()).isEqualTo("tcp");
        assertThatThrownBy(() -> v.options().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(v.withState(VolumeState.STARTED).state()).isEqualTo(VolumeState.STARTED);
        assertThat(VolumeType.fromDisplayName("DistReplicate")).isEqualTo(VolumeType.DISTRIBUTED_REPLICATE);
        assertThatThrownBy(() -> VolumeType.fromDisplayName("Striped")).isInstanceOf(GdException.class);
    }

    @Test
    void errorCodesAreStableAndUnique() {
        assertThat(new HashSet<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::number).toList()))
                .hasSize(ErrorCode.values().length);
        assertThat(ErrorCode.ofNumber(1101)).isEqualTo(ErrorCode.LOCK_TIMEOUT);
        assertThat(ErrorCode.ofNumber(42)).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ErrorCode.LOCK_TIMEOUT.retryable()).isTrue();
        assertThat(ErrorCode.INVALID_ARGUMENT.httpStatus()).isEqualTo(400);
    }
}
