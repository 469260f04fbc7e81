package dev.gdkit.grpc.transport;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.testkit.contract.TransportContract;
import java.util.UUID;

/** The Transport contract over gRPC's in-process transport (no network, no TLS). */
class GrpcInProcessTransportContractTest extends TransportContract {
    @Override
    protected Transport newTransport(NodeId node) {
        return GrpcTransport.builder().node(node).inProcess(node + "-" + UUID.randomUUID())
                .security(TransportSecurity.insecurePlaintext()).build();
    }

    @Override
    protected String unusedAddress() {
        return GrpcTransport.IN_PROCESS_PREFIX + "nobody-" + UUID.randomUUID();
    }
}
