package dev.gdkit.grpc.api;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.grpc.transport.ListenAddress;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server for the management API (and the health service). The credentials are the host's
 * choice, for example {@code TlsServerCredentials} with the node's certificate; plain text needs
 * {@code InsecureServerCredentials} on purpose and logs a WARN at start.
 */
public final class ManagementServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Server server;
    private final String address;

    private ManagementServer(Server server, String address) {
        this.server = server;
        this.address = address;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port}, or {@code inprocess:<name>}. */
    public String address() {
        return address;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of a {@link ManagementServer}. */
    public static final class Builder {
        private ManagementBackend backend;
        private ServerCredentials credentials;
        private String host = "127.0.0.1";
        private int port;
        private String inProcessName;
        private int eventBuffer = ManagementService.DEFAULT_EVENT_BUFFER;

        private Builder() {
        }

        /** How many events a watcher may fall behind before its watch is ended (default 10,000). */
        public Builder eventBuffer(int events) {
            if (events < 1) {
                throw GdException.invalid("event buffer " + events + " is too small", "give at least 1 event");
            }
            this.eventBuffer = events;
            return this;
        }

        public Builder backend(ManagementBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** Required for TCP: TLS credentials, or {@code InsecureServerCredentials.create()} on purpose. */
        public Builder credentials(ServerCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        public Builder host(String host) {
            this.host = ListenAddress.host(host);
            return this;
        }

        /** 0 (the default) lets the kernel choose. */
        public Builder port(int port) {
            this.port = ListenAddress.port(port);
            return this;
        }

        /** Serve on gRPC's in-process transport under {@code name} (tests); no credentials then. */
        public Builder inProcess(String name) {
            this.inProcessName = Objects.requireNonNull(name, "name");
            return this;
        }

        public ManagementServer start() {
            if (backend == null) {
                throw GdException.invalid("no backend given to the management server", "call backend(...)");
            }
            HealthStatusManager health = new HealthStatusManager();
            ManagementService service = new ManagementService(backend, eventBuffer);
            try {
                if (inProcessName != null) {
                    Server s = InProcessServerBuilder.forName(inProcessName).addService(service)
                            .addService(health.getHealthService()).build().start();
                    return new ManagementServer(s, "inprocess:" + inProcessName);
                }
                if (credentials == null) {
                    throw GdException.invalid("no credentials given to the management server",
                            "give TlsServerCredentials, or InsecureServerCredentials.create() for plain text");
                }
                Server s = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
                        .addService(service).addService(health.getHealthService()).build().start();
                String address = ListenAddress.format(host, s.getPort());
                if (credentials instanceof InsecureServerCredentials) {
                    LOG.warn("INSECURE: the management API serves at {} in PLAIN TEXT without authentication", address);
                } else {
                    LOG.info("the management API serves at {}", address);
                }
                return new ManagementServer(s, address);
            } catch (IOException e) {
                throw new GdException(ErrorCode.INTERNAL, "the management API cannot listen on " + host + ":" + port
                        + ": " + e.getMessage(), "choose another port, or 0", List.of(), e);
            }
        }
    }
}
