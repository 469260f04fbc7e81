package dev.gdkit.grpc.transport;

import dev.gdkit.grpc.security.NodeCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.util.Objects;

/**
 * gRPC credentials from cluster credentials, for other gRPC services of a node (the management
 * API): the same trust as the node transport (exactly the cluster CA, no host name check). A
 * management client (a CLI, an operator's program) gets its own certificate from the cluster
 * authority, for example {@code authority.issueCredentials(NodeId.of("admin-cli"))}.
 */
public final class ClusterTls {
    private ClusterTls() {
    }

    /** Server credentials that require a client certificate issued by the cluster CA. */
    public static ServerCredentials serverCredentials(NodeCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        TlsMaterial m = TlsMaterial.member(credentials);
        return TlsServerCredentials.newBuilder().keyManager(m.keyManager()).trustManager(m.trustManager())
                .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
    }

    /** Channel credentials that present {@code credentials} and trust only their cluster CA. */
    public static ChannelCredentials channelCredentials(NodeCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        TlsMaterial m = TlsMaterial.member(credentials);
        return TlsChannelCredentials.newBuilder().keyManager(m.keyManager()).trustManager(m.trustManager()).build();
    }
}
