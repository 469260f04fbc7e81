package dev.gdkit.grpc.transport;

import dev.gdkit.grpc.security.NodeCredentials;
import java.util.Objects;

/**
 * How a {@link GrpcTransport} protects node-to-node traffic. Secure by default: a transport built
 * without a choice is {@link #joining()}.
 */
public sealed interface TransportSecurity {
    /** A member: mutual TLS with its certificate, trusting only its cluster's CA. */
    static TransportSecurity mutualTls(NodeCredentials credentials) {
        return new MutualTls(credentials);
    }

    /**
     * A node that has no certificate yet. It can only {@code join} with a token (the token pins the
     * cluster CA; the node sends a CSR and installs the certificate it gets back); after that it is
     * a member with mutual TLS.
     */
    static TransportSecurity joining() {
        return new Joining();
    }

    /**
     * No TLS at all: anyone who can reach the port can run steps. Only for development on a trusted
     * network; {@link GrpcTransport#start} logs a WARN. Required for gRPC's in-process transport,
     * which has no TLS (and no network).
     */
    static TransportSecurity insecurePlaintext() {
        return new InsecurePlaintext();
    }

    record MutualTls(NodeCredentials credentials) implements TransportSecurity {
        public MutualTls {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    record Joining() implements TransportSecurity {
    }

    record InsecurePlaintext() implements TransportSecurity {
    }
}
