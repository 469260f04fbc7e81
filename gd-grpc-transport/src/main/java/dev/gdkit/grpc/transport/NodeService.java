package dev.gdkit.grpc.transport;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.Enrollment;
import dev.gdkit.grpc.transport.wire.JoinMsg;
import dev.gdkit.grpc.transport.wire.JoinReplyMsg;
import dev.gdkit.grpc.transport.wire.NodeGrpc;
import dev.gdkit.grpc.transport.wire.NotificationMsg;
import dev.gdkit.grpc.transport.wire.NotifyAck;
import dev.gdkit.grpc.transport.wire.PingMsg;
import dev.gdkit.grpc.transport.wire.StepCallMsg;
import dev.gdkit.grpc.transport.wire.StepReplyMsg;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The server side of the node protocol: hands calls to the node's {@link InboundHandler}. */
final class NodeService extends NodeGrpc.NodeImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

    private final NodeId self;
    private final InboundHandler handler;
    private final ClusterAuthority authority;
    private final boolean tls;

    NodeService(NodeId self, InboundHandler handler, ClusterAuthority authority, boolean tls) {
        this.self = self;
        this.handler = handler;
        this.authority = authority;
        this.tls = tls;
    }

    @Override
    public void join(JoinMsg request, StreamObserver<JoinReplyMsg> out) {
        answer(out, () -> {
            JoinRequest req = WireMessages.fromMsg(request);
            Enrollment enrollment = admit(req);
            JoinReply reply = handler.join(req);
            if (enrollment != null) {
                Map<String, String> attrs = new HashMap<>(reply.attributes());
                attrs.put(GrpcTransport.ATTR_CERTIFICATE, enrollment.certificatePem());
                attrs.put(GrpcTransport.ATTR_CA, enrollment.caPem());
                reply = new JoinReply(reply.clusterId(), reply.clusterOpVersion(), reply.protocolVersion(), attrs);
            }
            return WireMessages.toMsg(reply);
        });
    }

    /** Checks a joiner without a cluster certificate; null when nothing is to be issued. */
    private Enrollment admit(JoinRequest req) {
        if (PeerAuthInterceptor.PEER_CERTIFICATE.get() != null) {
            return null;
        }
        if (authority == null) {
            if (!tls) {
                return null;
            }
            throw new GdException(ErrorCode.JOIN_REFUSED, "node " + self + " cannot admit node " + req.joiner()
                    + ": it holds no cluster authority (no CA, no join tokens)",
                    "join through a member whose transport was built with the cluster authority");
        }
        if (!tls) {
            authority.redeem(req.token(), req.joiner());
            return null;
        }
        return authority.admit(req.token(), req.joiner(), req.attributes().get(GrpcTransport.ATTR_CSR));
    }

    @Override
    public void runStep(StepCallMsg request, StreamObserver<StepReplyMsg> out) {
        step(request, out, handler::runStep, "run");
    }

    @Override
    public void undoStep(StepCallMsg request, StreamObserver<StepReplyMsg> out) {
        step(request, out, handler::undoStep, "undo");
    }

    private void step(StepCallMsg request, StreamObserver<StepReplyMsg> out, Function<StepCall, StepReply> body,
                      String what) {
        MDC.put("txnid", request.getTxnId());
        MDC.put("reqid", request.getReqId());
        MDC.put("node", self.value());
        try {
            LOG.debug("{} step {} #{} from {}", what, request.getStep(), request.getStepIndex(),
                    request.getCoordinator());
            answer(out, () -> WireMessages.toMsg(body.apply(WireMessages.fromMsg(request))));
        } finally {
            MDC.remove("txnid");
            MDC.remove("reqid");
            MDC.remove("node");
        }
    }

    @Override
    public void notify(NotificationMsg request, StreamObserver<NotifyAck> out) {
        answer(out, () -> {
            handler.notify(WireMessages.fromMsg(request));
            return NotifyAck.getDefaultInstance();
        });
    }

    @Override
    public void ping(PingMsg request, StreamObserver<PingMsg> out) {
        out.onNext(request);
        out.onCompleted();
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        GrpcReplies.answer(out, body);
    }
}
