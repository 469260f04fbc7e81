package dev.gdkit.grpc.transport;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.InMemorySecurityStore;
import dev.gdkit.testkit.contract.TransportContract;
import java.time.Clock;

/** The Transport contract over gRPC Netty on loopback with mutual TLS: every node holds a cluster certificate. */
class GrpcMutualTlsTransportContractTest extends TransportContract {
    private final ClusterAuthority authority =
            ClusterAuthority.create("contract-cluster", new InMemorySecurityStore(), Clock.systemUTC());

    @Override
    protected Transport newTransport(NodeId node) {
        return GrpcTransport.builder().node(node)
                .security(TransportSecurity.mutualTls(authority.issueCredentials(node)))
                .authority(authority).build();
    }

    @Override
    protected String unusedAddress() {
        return GrpcTestSupport.unusedLoopbackAddress();
    }
}
