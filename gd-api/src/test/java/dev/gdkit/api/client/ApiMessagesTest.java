package dev.gdkit.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.client.proto.ErrorDetail;
import dev.gdkit.api.client.proto.PeerMsg;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiMessagesTest {
    @Test
    void everyModelValueSurvivesTheTrip() {
        Peer peer = new Peer(NodeId.of("n1"), "host1", List.of("a:1", "b:2"), PeerState.UNREACHABLE,
                OpVersionRange.of(70000, 110000), Map.of("zone", "z1"));
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(peer))).isEqualTo(peer);

        Brick b1 = new Brick("b-1", NodeId.of("n1"), "host1", "/b/1", BrickType.BRICK);
        Brick b2 = new Brick("b-2", NodeId.of("n2"), "host2", "/b/2", BrickType.ARBITER);
        Volume v = new Volume("id-1", "gv0", VolumeType.DISTRIBUTED_REPLICATE, "rdma",
                List.of(new Subvolume("gv0-replicate-0", SubvolumeType.REPLICATE, List.of(b1, b2), 2, 1, 0, 0),
                        new Subvolume("gv0-disperse-1", SubvolumeType.DISPERSE, List.of(b1), 0, 0, 3, 1)),
                Map.of("k", "v"), VolumeState.STOP_FAILED, Map.of("owner", "me"));
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(v))).isEqualTo(v);

        OptionValue o = new OptionValue("a.b", "1", "0", false, OpVersion.of(31000));
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(o))).isEqualTo(o);

        Event e = new Event("e-1", "volume-created", Map.of("volume", "gv0"), NodeId.of("n1"),
                Instant.parse("2026-11-22T10:00:00.123456789Z"));
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(e))).isEqualTo(e);

        ClusterOpVersion ov = new ClusterOpVersion(OpVersion.of(100000), OpVersion.of(110000));
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(ov))).isEqualTo(ov);

        JoinTokenInfo t = new JoinTokenInfo("tok", Instant.parse("2026-11-22T11:00:00Z"));
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(t))).isEqualTo(t);
    }

    @Test
    void theGd2CreateRequestSurvivesFieldForField() {
        VolCreateRequest r = new VolCreateRequest("gv0", "tcp", List.of(new SubvolRequest("disperse",
                List.of(new BrickRequest("n1", "/b", "brick"), new BrickRequest("n2", "/c", "arbiter")),
                0, 1, 3, 2, 1)), Map.of("o", "1"), true, true, true, true, Map.of("reuse-bricks", true),
                Map.of("m", "x"), 1024);
        assertThat(ApiMessages.fromMsg(ApiMessages.toMsg(r))).isEqualTo(r);
    }

    @Test
    void unknownEnumNamesAreRefusedWithTheAllowedOnes() {
        PeerMsg bad = ApiMessages.toMsg(new Peer(NodeId.of("n1"), "h", List.of(), PeerState.CONNECTED,
                OpVersionRange.of(1, 2), Map.of())).toBuilder().setState("HAPPY").build();
        assertThatThrownBy(() -> ApiMessages.fromMsg(bad)).isInstanceOf(GdException.class)
                .hasMessage("unknown peer state 'HAPPY'")
                .satisfies(x -> assertThat(((GdException) x).remedy())
                        .isEqualTo("use one of [CONNECTED, UNREACHABLE, LEFT]"));
    }

    @Test
    void errorsTravelInTheTrailerUnchanged() {
        GdException e = new GdException(ErrorCode.STEP_FAILED, "step failed on n2", "retry",
                List.of(new NodeError("n2", "prep", ErrorCode.NOT_FOUND, "no dir", "mkdir")), null);
        StatusRuntimeException s = GrpcErrors.toStatus(e);
        assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        GdException back = GrpcErrors.toException(s, "x:1");
        assertThat(back.code()).isEqualTo(e.code());
        assertThat(back.getMessage()).isEqualTo(e.getMessage());
        assertThat(back.remedy()).isEqualTo(e.remedy());
        assertThat(back.nodeErrors()).isEqualTo(e.nodeErrors());
        ErrorDetail d = GrpcErrors.detail(e);
        assertThat(d.getCodeName()).isEqualTo("STEP_FAILED");
        assertThat(GrpcErrors.statusCode(ErrorCode.JOIN_REFUSED)).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(GrpcErrors.statusCode(ErrorCode.NOT_FOUND)).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aFailureWithoutTrailerIsExplainedFromTheStatus() {
        GdException down = GrpcErrors.toException(Status.UNAVAILABLE.withDescription("refused").asRuntimeException(),
                "h:1");
        assertThat(down.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
        assertThat(down.getMessage()).isEqualTo("the management API at h:1 is unreachable: UNAVAILABLE refused");
        GdException late = GrpcErrors.toException(Status.DEADLINE_EXCEEDED.asRuntimeException(), "h:1");
        assertThat(late.remedy()).contains("may or may not have been applied");
        GdException other = GrpcErrors.toException(Status.DATA_LOSS.asRuntimeException(), "h:1");
        assertThat(other.code()).isEqualTo(ErrorCode.INTERNAL);
    }
}
