package dev.gdkit.grpc.transport;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.grpc.transport.wire.JoinMsg;
import dev.gdkit.grpc.transport.wire.JoinReplyMsg;
import dev.gdkit.grpc.transport.wire.NotificationMsg;
import dev.gdkit.grpc.transport.wire.StepCallMsg;
import dev.gdkit.grpc.transport.wire.StepReplyMsg;

/** Conversions between the Transport SPI's records and the node protocol's messages, field for field. */
final class WireMessages {
    private WireMessages() {
    }

    static JoinMsg toMsg(JoinRequest r) {
        return JoinMsg.newBuilder().setJoiner(r.joiner().value()).setName(r.name()).addAllAddresses(r.addresses())
                .setProtocolVersion(r.protocolVersion()).setMinOpVersion(r.minOpVersion().value())
                .setMaxOpVersion(r.maxOpVersion().value()).setCurrentOpVersion(r.currentOpVersion().value())
                .setToken(r.token()).putAllAttributes(r.attributes()).build();
    }

    static JoinRequest fromMsg(JoinMsg m) {
        return new JoinRequest(NodeId.of(m.getJoiner()), m.getName(), m.getAddressesList(), m.getProtocolVersion(),
                OpVersion.of(m.getMinOpVersion()), OpVersion.of(m.getMaxOpVersion()),
                OpVersion.of(m.getCurrentOpVersion()), m.getToken(), m.getAttributesMap());
    }

    static JoinReplyMsg toMsg(JoinReply r) {
        return JoinReplyMsg.newBuilder().setClusterId(r.clusterId()).setClusterOpVersion(r.clusterOpVersion().value())
                .setProtocolVersion(r.protocolVersion()).putAllAttributes(r.attributes()).build();
    }

    static JoinReply fromMsg(JoinReplyMsg m) {
        return new JoinReply(m.getClusterId(), OpVersion.of(m.getClusterOpVersion()), m.getProtocolVersion(),
                m.getAttributesMap());
    }

    static StepCallMsg toMsg(StepCall c) {
        return StepCallMsg.newBuilder().setTxnId(c.txnId()).setReqId(c.reqId()).setStep(c.step())
                .setStepIndex(c.stepIndex()).setCoordinator(c.coordinator().value()).setTarget(c.target().value())
                .putAllContext(c.context()).build();
    }

    static StepCall fromMsg(StepCallMsg m) {
        return new StepCall(m.getTxnId(), m.getReqId(), m.getStep(), m.getStepIndex(), NodeId.of(m.getCoordinator()),
                NodeId.of(m.getTarget()), m.getContextMap());
    }

    static StepReplyMsg toMsg(StepReply r) {
        return StepReplyMsg.newBuilder().setNode(r.node().value()).setOk(r.ok()).putAllOutputs(r.outputs())
                .setCode(r.code().number()).setMessage(r.message()).setRemedy(r.remedy()).build();
    }

    static StepReply fromMsg(StepReplyMsg m) {
        return new StepReply(NodeId.of(m.getNode()), m.getOk(), m.getOutputsMap(), ErrorCode.ofNumber(m.getCode()),
                m.getMessage(), m.getRemedy());
    }

    static NotificationMsg toMsg(Notification n) {
        return NotificationMsg.newBuilder().setTopic(n.topic()).setFrom(n.from().value()).putAllData(n.data()).build();
    }

    static Notification fromMsg(NotificationMsg m) {
        return new Notification(m.getTopic(), NodeId.of(m.getFrom()), m.getDataMap());
    }
}
