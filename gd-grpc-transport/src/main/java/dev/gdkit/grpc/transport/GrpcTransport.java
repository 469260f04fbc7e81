package dev.gdkit.grpc.transport;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.TransportException;
import dev.gdkit.grpc.security.ClusterCa;
import dev.gdkit.grpc.security.JoinToken;
import dev.gdkit.grpc.security.NodeCredentials;
import dev.gdkit.grpc.security.Pem;
import dev.gdkit.grpc.transport.wire.NodeGrpc;
import dev.gdkit.grpc.transport.wire.PingMsg;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientStreamTracer;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Transport} on gRPC-Java: Netty (netty-shaded) on TCP with mutual TLS, or gRPC's
 * in-process transport for fast tests in one JVM.
 *
 * <h2>Security</h2>
 * See {@link TransportSecurity}. With TLS the server asks every client for a certificate and the
 * TLS layer refuses one that the cluster CA did not issue; every call except {@code Join} without a
 * certificate is refused with {@code JOIN_REFUSED}. A {@code Join} without a certificate must carry
 * a valid one-time token, checked and spent by the {@link Builder#authority cluster authority}; the
 * reply then carries the joiner's signed certificate ({@value #ATTR_CERTIFICATE}) and the CA
 * ({@value #ATTR_CA}). A transport in {@link TransportSecurity#joining() joining} mode sends the CSR
 * ({@value #ATTR_CSR}) itself, dials the member with server-only TLS that trusts just the CA pinned
 * in the token, and installs the certificate it gets back: from then on it is a member.
 *
 * <h2>Errors</h2>
 * A {@link GdException} thrown by the remote handler travels in the trailer {@code gd-error-bin}
 * and is rethrown equal. A call that did not complete fails with a {@link TransportException}:
 * {@code outcomeUnknown} is true after the deadline or when the connection broke after the request
 * was handed to the stream, false when it surely did not leave (nothing listens, TLS refused,
 * transport closed).
 *
 * <h2>Addresses</h2>
 * {@code host:port} (IPv6 as {@code [::1]:port}) for Netty; {@code inprocess:<name>} in-process.
 */
public final class GrpcTransport implements Transport {
    /** JoinRequest attribute: the joiner's PKCS#10 certificate signing request, PEM. */
    public static final String ATTR_CSR = "gd.tls.csr";
    /** JoinReply attribute: the joiner's signed certificate, PEM. */
    public static final String ATTR_CERTIFICATE = "gd.tls.certificate";
    /** JoinReply attribute: the cluster CA certificate, PEM. */
    public static final String ATTR_CA = "gd.tls.ca";
    /** The gRPC health service name this transport reports. */
    public static final String HEALTH_SERVICE = NodeGrpc.SERVICE_NAME;
    static final String IN_PROCESS_PREFIX = "inprocess:";

    private static final Logger LOG = LoggerFactory.getLogger(GrpcTransport.class);

    private final NodeId node;
    private final String host;
    private final int port;
    private final String inProcessName;
    private final TransportSecurity security;
    private final dev.gdkit.grpc.security.ClusterAuthority authority;
    private final int maxMessageBytes;
    private final Duration shutdownGrace;
    private final TlsMaterial tls;
    private final KeyPair joinKeys;
    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final HealthStatusManager health = new HealthStatusManager();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Server server;
    private volatile String localAddress;
    private volatile NodeCredentials credentials;

    private GrpcTransport(Builder b) {
        this.node = b.node;
        this.host = b.host;
        this.port = b.port;
        this.inProcessName = b.inProcessName;
        this.security = b.security;
        this.authority = b.authority;
        this.maxMessageBytes = b.maxMessageBytes;
        this.shutdownGrace = b.shutdownGrace;
        if (security instanceof TransportSecurity.MutualTls m) {
            this.joinKeys = null;
            this.credentials = m.credentials();
            this.tls = TlsMaterial.member(m.credentials());
        } else if (security instanceof TransportSecurity.Joining) {
            this.joinKeys = ClusterCa.newKeyPair();
            this.tls = TlsMaterial.unjoined(node, joinKeys);
        } else {
            this.joinKeys = null;
            this.tls = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This node's id. */
    public NodeId node() {
        return node;
    }

    /** The node's current credentials: set for members, and for a joiner once it joined. */
    public Optional<NodeCredentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    @Override
    public String start(InboundHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new IllegalStateException("transport of node " + node + " is closed; make a new one");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("transport of node " + node + " was already started at " + localAddress);
        }
        NodeService service = new NodeService(node, handler, authority, tls != null);
        try {
            if (inProcessName != null) {
                server = InProcessServerBuilder.forName(inProcessName)
                        .addService(service).addService(health.getHealthService())
                        .maxInboundMessageSize(maxMessageBytes).build().start();
                localAddress = IN_PROCESS_PREFIX + inProcessName;
                LOG.info("node {} serves gRPC in-process at {} (no TLS, no network)", node, localAddress);
            } else {
                ServerCredentials creds = tls == null ? InsecureServerCredentials.create()
                        : TlsServerCredentials.newBuilder().keyManager(tls.keyManager()).trustManager(tls.trustManager())
                                .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL).build();
                NettyServerBuilder sb = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), creds)
                        .maxInboundMessageSize(maxMessageBytes).addService(health.getHealthService());
                sb.addService(tls == null ? service.bindService()
                        : ServerInterceptors.intercept(service, new PeerAuthInterceptor()));
                server = sb.build().start();
                localAddress = ListenAddress.format(host, server.getPort());
                if (tls == null) {
                    LOG.warn("INSECURE: node {} serves node-to-node gRPC at {} in PLAIN TEXT without authentication: "
                            + "anyone who reaches this port can run steps. Use TransportSecurity.mutualTls outside "
                            + "development.", node, localAddress);
                } else {
                    LOG.info("node {} serves node-to-node gRPC with mutual TLS at {}{}", node, localAddress,
                            tls.isMember() ? "" : " (not joined yet)");
                }
            }
        } catch (IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "node " + node + " cannot listen on "
                    + (inProcessName != null ? IN_PROCESS_PREFIX + inProcessName : ListenAddress.format(host, port)) + ": "
                    + e.getMessage(), "choose another port, or 0 to let the kernel choose", List.of(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(HEALTH_SERVICE, ServingStatus.SERVING);
        return localAddress;
    }

    @Override
    public String localAddress() {
        String a = localAddress;
        if (a == null) {
            throw new IllegalStateException("transport of node " + node + " is not started");
        }
        return a;
    }

    @Override
    public CompletableFuture<JoinReply> join(String address, JoinRequest request, Duration deadline) {
        Objects.requireNonNull(request, "request");
        if (tls == null || tls.isMember()) {
            return call(address, NodeGrpc.getJoinMethod(), WireMessages.toMsg(request), deadline,
                    WireMessages::fromMsg, this::channel);
        }
        return joinWithToken(address, request, deadline);
    }

    /** The join of a node without certificate: server-only TLS pinned to the token's CA, then install. */
    private CompletableFuture<JoinReply> joinWithToken(String address, JoinRequest request, Duration deadline) {
        JoinToken token;
        try {
            if (request.token().isEmpty()) {
                throw new GdException(ErrorCode.JOIN_REFUSED, "node " + node
                        + " has no cluster certificate yet and the join request carries no join token",
                        "ask a member for a join token and put it in the JoinRequest");
            }
            token = JoinToken.parse(request.token());
        } catch (GdException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<String, String> attrs = new HashMap<>(request.attributes());
        attrs.put(ATTR_CSR, ClusterCa.csrPem(node, joinKeys));
        JoinRequest withCsr = new JoinRequest(request.joiner(), request.name(), request.addresses(),
                request.protocolVersion(), request.minOpVersion(), request.maxOpVersion(), request.currentOpVersion(),
                request.token(), attrs);
        ChannelCredentials pinned = TlsChannelCredentials.newBuilder()
                .trustManager(new PinnedCaTrustManager(token.caFingerprint())).build();
        ManagedChannel[] once = new ManagedChannel[1];
        return call(address, NodeGrpc.getJoinMethod(), WireMessages.toMsg(withCsr), deadline, WireMessages::fromMsg,
                a -> once[0] = newNettyChannel(a, pinned))
                .whenComplete((r, e) -> {
                    if (once[0] != null) {
                        once[0].shutdownNow();
                    }
                })
                .thenApply(reply -> {
                    install(reply, token);
                    return reply;
                });
    }

    private void install(JoinReply reply, JoinToken token) {
        String certPem = reply.attributes().get(ATTR_CERTIFICATE);
        String caPem = reply.attributes().get(ATTR_CA);
        if (certPem == null || caPem == null) {
            throw new GdException(ErrorCode.JOIN_REFUSED, "the member accepted the join of " + node
                    + " but sent no certificate", "join through a member whose transport has the cluster authority");
        }
        X509Certificate ca = Pem.certificate(caPem, "cluster CA certificate from the join reply");
        if (!Pem.fingerprint(ca).equals(token.caFingerprint())) {
            throw new GdException(ErrorCode.JOIN_REFUSED, "the join reply's CA (sha256 " + Pem.fingerprint(ca)
                    + ") is not the CA pinned in the join token (" + token.caFingerprint() + ")",
                    "join with a token of the cluster you dial");
        }
        X509Certificate cert = Pem.certificate(certPem, "node certificate from the join reply");
        if (!cert.getPublicKey().equals(joinKeys.getPublic())) {
            throw new GdException(ErrorCode.JOIN_REFUSED, "the certificate in the join reply is not for this node's key",
                    "retry the join with a new token");
        }
        NodeCredentials creds = new NodeCredentials(node, joinKeys.getPrivate(), cert, ca);
        tls.install(creds);
        credentials = creds;
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
        LOG.info("node {} joined cluster {}: it now uses its cluster certificate", node, creds.clusterId());
    }

    @Override
    public CompletableFuture<StepReply> runStep(String address, StepCall call, Duration deadline) {
        Objects.requireNonNull(call, "call");
        return call(address, NodeGrpc.getRunStepMethod(), WireMessages.toMsg(call), deadline, WireMessages::fromMsg,
                this::channel);
    }

    @Override
    public CompletableFuture<StepReply> undoStep(String address, StepCall call, Duration deadline) {
        Objects.requireNonNull(call, "call");
        return call(address, NodeGrpc.getUndoStepMethod(), WireMessages.toMsg(call), deadline, WireMessages::fromMsg,
                this::channel);
    }

    @Override
    public CompletableFuture<Void> notify(String address, Notification notification, Duration deadline) {
        Objects.requireNonNull(notification, "notification");
        return call(address, NodeGrpc.getNotifyMethod(), WireMessages.toMsg(notification), deadline, ack -> null,
                this::channel);
    }

    /** An empty call to the node at {@code address}: measures the cost of a round trip. */
    public CompletableFuture<Void> ping(String address, Duration deadline) {
        return call(address, NodeGrpc.getPingMethod(), PingMsg.getDefaultInstance(), deadline, p -> null,
                this::channel);
    }

    private <Q, R, T> CompletableFuture<T> call(String address, MethodDescriptor<Q, R> method, Q request,
                                                Duration deadline, Function<R, T> convert,
                                                Function<String, ManagedChannel> channelFor) {
        String name = method.getBareMethodName();
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            return CompletableFuture.failedFuture(GdException.invalid("deadline " + deadline + " of " + name
                    + " to " + address + " is not positive", "give every call a positive deadline"));
        }
        if (closed) {
            return CompletableFuture.failedFuture(TransportException.unreachable(address,
                    "the transport of node " + node + " is closed", false, null));
        }
        ManagedChannel channel;
        try {
            channel = channelFor.apply(address);
        } catch (GdException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Whether the latest attempt handed the request to a live stream. gRPC retries a stream the
        // server refused unprocessed (GOAWAY) on a new attempt, so only the latest one counts.
        java.util.concurrent.atomic.AtomicReference<AtomicBoolean> attempt =
                new java.util.concurrent.atomic.AtomicReference<>(new AtomicBoolean());
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .withStreamTracerFactory(new ClientStreamTracer.Factory() {
                    @Override
                    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
                                                                    Metadata headers) {
                        AtomicBoolean wrote = new AtomicBoolean();
                        attempt.set(wrote);
                        return new ClientStreamTracer() {
                            @Override
                            public void outboundMessage(int seqNo) {
                                wrote.set(true);
                            }
                        };
                    }
                });
        java.util.function.BooleanSupplier sent = () -> attempt.get().get();
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            ClientCalls.asyncUnaryCall(channel.newCall(method, options), request, new StreamObserver<R>() {
                @Override
                public void onNext(R value) {
                    try {
                        result.complete(convert.apply(value));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    result.completeExceptionally(CallFailures.map(t, address, name, deadline, sent.getAsBoolean()));
                }

                @Override
                public void onCompleted() {
                    if (!result.isDone()) {
                        result.completeExceptionally(new TransportException(ErrorCode.INTERNAL, address,
                                name + " to " + address + " ended without a reply", "", true, null));
                    }
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(CallFailures.map(e, address, name, deadline, sent.getAsBoolean()));
        }
        return result;
    }

    private ManagedChannel channel(String address) {
        ManagedChannel ch = channels.computeIfAbsent(address, a -> {
            if (a.startsWith(IN_PROCESS_PREFIX)) {
                return InProcessChannelBuilder.forName(a.substring(IN_PROCESS_PREFIX.length()))
                        .maxInboundMessageSize(maxMessageBytes).build();
            }
            return newNettyChannel(a, tls == null ? InsecureChannelCredentials.create()
                    : TlsChannelCredentials.newBuilder().keyManager(tls.keyManager())
                            .trustManager(tls.trustManager()).build());
        });
        if (closed) {
            ch.shutdownNow();
        }
        return ch;
    }

    private ManagedChannel newNettyChannel(String address, ChannelCredentials creds) {
        if (address.startsWith(IN_PROCESS_PREFIX)) {
            throw GdException.invalid("cannot join over TLS to the in-process address " + address,
                    "in-process transports use TransportSecurity.insecurePlaintext()");
        }
        InetSocketAddress sa = parseAddress(address);
        return NettyChannelBuilder.forAddress(sa.getHostString(), sa.getPort(), creds)
                .maxInboundMessageSize(maxMessageBytes).build();
    }

    static InetSocketAddress parseAddress(String address) {
        if (address == null) {
            throw GdException.invalid("node address is missing", "give host:port, for example 127.0.0.1:24008");
        }
        int colon = address.lastIndexOf(':');
        String h = colon > 0 ? address.substring(0, colon) : "";
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int p = -1;
        try {
            p = colon > 0 ? Integer.parseInt(address.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (h.isEmpty() || p < 1 || p > 65535) {
            throw GdException.invalid("node address '" + address + "' is not host:port",
                    "give host:port with a port from 1 to 65535, for example 127.0.0.1:24008 or [::1]:24008");
        }
        return InetSocketAddress.createUnresolved(h, p);
    }

    /**
     * Stops serving and dialling. The server first goes away gracefully (HTTP/2 GOAWAY, so peers
     * learn that new calls must not use this connection: they then fail as unreachable with the
     * outcome known), lets calls in progress finish for up to the shutdown grace, then cancels the
     * rest (their callers see the outcome unknown). New calls from this transport fail at once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.enterTerminalState();
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
        Server s = server;
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(shutdownGrace.toNanos(), TimeUnit.NANOSECONDS)) {
                    s.shutdownNow();
                    s.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("node {} closed its transport", node);
    }

    @Override
    public String toString() {
        return "GrpcTransport[" + node + (localAddress == null ? "" : " at " + localAddress) + "]";
    }

    /** Settings of a {@link GrpcTransport}. */
    public static final class Builder {
        private NodeId node;
        private String host = "127.0.0.1";
        private int port;
        private String inProcessName;
        private TransportSecurity security = TransportSecurity.joining();
        private dev.gdkit.grpc.security.ClusterAuthority authority;
        private int maxMessageBytes = 64 * 1024 * 1024;
        private Duration shutdownGrace = Duration.ofSeconds(2);

        private Builder() {
        }

        /** How long {@link GrpcTransport#close()} lets calls in progress finish; 2 s by default, 0 or more. */
        public Builder shutdownGrace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw GdException.invalid("shutdown grace " + grace + " is negative or missing",
                        "give 0 or a positive duration, for example 2 seconds");
            }
            this.shutdownGrace = grace;
            return this;
        }

        /** The node this transport serves. Required. */
        public Builder node(NodeId node) {
            this.node = Objects.requireNonNull(node, "node");
            return this;
        }

        /** The address to listen on and advertise; 127.0.0.1 by default. */
        public Builder host(String host) {
            this.host = ListenAddress.host(host);
            return this;
        }

        /** The TCP port, 0 (the default) to let the kernel choose. */
        public Builder port(int port) {
            this.port = ListenAddress.port(port);
            return this;
        }

        /**
         * Serve and dial over gRPC's in-process transport under {@code name} instead of TCP: fast
         * tests in one JVM. Requires {@link TransportSecurity#insecurePlaintext()} (no TLS in-process).
         */
        public Builder inProcess(String name) {
            if (name == null || name.isBlank()) {
                throw GdException.invalid("in-process server name is empty", "give a name unique in the JVM");
            }
            this.inProcessName = name;
            return this;
        }

        /** How node-to-node traffic is protected; {@link TransportSecurity#joining()} by default. */
        public Builder security(TransportSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** The cluster authority that checks join tokens and signs joiners' certificates (members only). */
        public Builder authority(dev.gdkit.grpc.security.ClusterAuthority authority) {
            this.authority = Objects.requireNonNull(authority, "authority");
            return this;
        }

        /** The largest message accepted, 64 MiB by default (contexts can be large). */
        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw GdException.invalid("max message size " + bytes + " bytes is too small",
                        "give at least 1024 bytes; the default is 64 MiB");
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        public GrpcTransport build() {
            if (node == null) {
                throw GdException.invalid("no node id given to the GrpcTransport builder", "call node(NodeId)");
            }
            if (inProcessName != null && !(security instanceof TransportSecurity.InsecurePlaintext)) {
                throw GdException.invalid("gRPC's in-process transport has no TLS, but security is " + security,
                        "use security(TransportSecurity.insecurePlaintext()) with inProcess(...)");
            }
            if (security instanceof TransportSecurity.MutualTls m && !m.credentials().node().equals(node)) {
                throw GdException.invalid("credentials are for node " + m.credentials().node() + ", not " + node,
                        "give the credentials issued to this node");
            }
            if (authority != null && security instanceof TransportSecurity.MutualTls m
                    && !m.credentials().clusterId().equals(authority.clusterId())) {
                throw GdException.invalid("the node's certificate is of cluster " + m.credentials().clusterId()
                        + " but the authority is of cluster " + authority.clusterId(),
                        "give the authority of the cluster the node belongs to");
            }
            return new GrpcTransport(this);
        }
    }
}
