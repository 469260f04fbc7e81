package dev.gdkit.grpc.transport;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.testkit.contract.TransportContract;

/** The Transport contract over gRPC Netty on loopback in plain text (the explicit insecure switch). */
class GrpcPlaintextTransportContractTest extends TransportContract {
    @Override
    protected Transport newTransport(NodeId node) {
        return GrpcTransport.builder().node(node).security(TransportSecurity.insecurePlaintext()).build();
    }

    @Override
    protected String unusedAddress() {
        return GrpcTestSupport.unusedLoopbackAddress();
    }
}
