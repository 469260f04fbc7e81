package dev.gdkit.grpc.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gdkit.api.client.GrpcErrors;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.TransportException;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.InMemorySecurityStore;
import dev.gdkit.grpc.security.IssuedToken;
import dev.gdkit.grpc.security.JoinToken;
import dev.gdkit.grpc.security.MutableClock;
import dev.gdkit.grpc.security.NodeCredentials;
import dev.gdkit.grpc.transport.wire.NodeGrpc;
import dev.gdkit.grpc.transport.wire.StepCallMsg;
import dev.gdkit.testkit.contract.TransportTestHandler;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Mutual TLS, join tokens and the refusals a user sees, over real gRPC on loopback. */
class GrpcTransportSecurityTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final MutableClock clock = new MutableClock(Instant.now());
    private final ClusterAuthority authority = ClusterAuthority.create("c1", new InMemorySecurityStore(), clock);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final TransportTestHandler memberHandler = new TransportTestHandler()
            .onJoin(r -> new JoinReply("c1", OpVersion.of(100000), 1, Map.of("store", "zk://x")))
            .onRun(c -> StepReply.success(NodeId.of("n1"), Map.of("ran", c.step())));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private GrpcTransport started(GrpcTransport t, dev.gdkit.core.transport.InboundHandler h) {
        closeables.add(t);
        t.start(h);
        return t;
    }

    private GrpcTransport member(String node) {
        return started(GrpcTransport.builder().node(NodeId.of(node))
                .security(TransportSecurity.mutualTls(authority.issueCredentials(NodeId.of(node))))
                .authority(authority).build(), memberHandler);
    }

    private GrpcTransport joiner(String node, TransportTestHandler h) {
        return started(GrpcTransport.builder().node(NodeId.of(node)).security(TransportSecurity.joining()).build(), h);
    }

    private static JoinRequest joinRequest(String node, String token) {
        return new JoinRequest(NodeId.of(node), node, List.of("127.0.0.1:1"), 1, OpVersion.of(1),
                OpVersion.of(100000), OpVersion.of(1), token, Map.of("zone", "a"));
    }

    private static StepCall step(String from, String to) {
        return new StepCall("t1", "r1", "probe", 0, NodeId.of(from), NodeId.of(to), Map.of("k", "v"));
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(60, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static TransportException refusedConnection(Throwable t) {
        assertThat(t).isInstanceOf(TransportException.class);
        TransportException e = (TransportException) t;
        assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
        assertThat(e.outcomeUnknown()).isFalse();
        assertThat(e.remedy()).isNotBlank();
        return e;
    }

    private ManagedChannel rawTlsChannel(String address, TlsChannelCredentials.Builder creds) {
        var a = GrpcTransport.parseAddress(address);
        ManagedChannel ch = NettyChannelBuilder.forAddress(a.getHostString(), a.getPort(), creds.build()).build();
        closeables.add(ch::shutdownNow);
        return ch;
    }

    @Test
    void aJoinerWithATokenGetsItsCertificateAndThenSpeaksMutualTls() throws Exception {
        GrpcTransport n1 = member("n1");
        TransportTestHandler h2 = new TransportTestHandler()
                .onRun(c -> StepReply.success(NodeId.of("n2"), Map.of("on", "n2")));
        GrpcTransport n2 = joiner("n2", h2);
        assertThat(n2.credentials()).isEmpty();
        IssuedToken token = authority.issueToken(NodeId.of("n1"), Duration.ofMinutes(5));

        JoinReply reply = n2.join(n1.localAddress(), joinRequest("n2", token.token().encode()), DEADLINE).get();

        assertThat(reply.clusterId()).isEqualTo("c1");
        assertThat(reply.attributes()).containsEntry("store", "zk://x")
                .containsKeys(GrpcTransport.ATTR_CERTIFICATE, GrpcTransport.ATTR_CA);
        NodeCredentials creds = n2.credentials().orElseThrow();
        assertThat(creds.clusterId()).isEqualTo("c1");
        assertThat(creds.node()).isEqualTo(NodeId.of("n2"));
        JoinRequest seen = (JoinRequest) memberHandler.received().get(0);
        assertThat(seen.attributes()).containsEntry("zone", "a").containsKey(GrpcTransport.ATTR_CSR);
        // both directions now work over mutual TLS
        assertThat(n2.runStep(n1.localAddress(), step("n2", "n1"), DEADLINE).get().outputs())
                .containsEntry("ran", "probe");
        assertThat(n1.runStep(n2.localAddress(), step("n1", "n2"), DEADLINE).get().outputs())
                .containsEntry("on", "n2");
    }

    @Test
    void aReusedTokenIsRefused() throws Exception {
        GrpcTransport n1 = member("n1");
        IssuedToken token = authority.issueToken(NodeId.of("n1"), Duration.ofMinutes(5));
        GrpcTransport n2 = joiner("n2", new TransportTestHandler());
        n2.join(n1.localAddress(), joinRequest("n2", token.token().encode()), DEADLINE).get();
        GrpcTransport n3 = joiner("n3", new TransportTestHandler());

        Throwable t = failure(n3.join(n1.localAddress(), joinRequest("n3", token.token().encode()), DEADLINE));

        assertThat(t).isInstanceOf(GdException.class).isNotInstanceOf(TransportException.class);
        GdException e = (GdException) t;
        assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
        assertThat(e.getMessage()).isEqualTo("join token " + token.token().id() + " was already used by node n2 at "
                + clock.instant() + "; a token admits one node only");
        assertThat(e.remedy()).isEqualTo("ask a member for a new token");
        assertThat(n3.credentials()).isEmpty();
        assertThat(memberHandler.received()).hasSize(1);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        GrpcTransport n1 = member("n1");
        IssuedToken token = authority.issueToken(NodeId.of("n1"), Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(6));
        GrpcTransport n2 = joiner("n2", new TransportTestHandler());

        GdException e = (GdException) failure(n2.join(n1.localAddress(), joinRequest("n2", token.token().encode()),
                DEADLINE));

        assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
        assertThat(e.getMessage()).startsWith("join token " + token.token().id() + " expired at " + token.expiresAt());
        assertThat(e.remedy()).contains("new token");
        assertThat(n2.credentials()).isEmpty();
        assertThat(memberHandler.received()).isEmpty();
    }

    @Test
    void aCallWithoutClientCertificateIsRefused() {
        GrpcTransport n1 = member("n1");
        ManagedChannel ch = rawTlsChannel(n1.localAddress(), TlsChannelCredentials.newBuilder()
                .trustManager(new PinnedCaTrustManager(authority.ca().fingerprint())));

        assertThatThrownBy(() -> NodeGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
                .runStep(WireMessages.toMsg(step("n9", "n1"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    var d = GrpcErrors.detail(e.getTrailers()).orElseThrow();
                    assertThat(d.getCode()).isEqualTo(ErrorCode.JOIN_REFUSED.number());
                    assertThat(d.getMessage()).isEqualTo("call gdkit.node.v1.Node/RunStep refused: the caller "
                            + "presented no client certificate issued by this cluster's CA; every node-to-node call "
                            + "except Join needs mutual TLS with one");
                    assertThat(d.getTransportFailure()).isTrue();
                });
        assertThat(memberHandler.received()).isEmpty();
    }

    @Test
    void aNodeThatHasNotJoinedCannotCallMembers() throws Exception {
        GrpcTransport n1 = member("n1");
        GrpcTransport n2 = joiner("n2", new TransportTestHandler());
        TransportException e = refusedConnection(failure(n2.runStep(n1.localAddress(), step("n2", "n1"), DEADLINE)));
        assertThat(e.getMessage()).startsWith("TLS handshake with node at " + n1.localAddress() + " failed")
                .contains("this node has not joined a cluster yet and trusts no peer");
        assertThat(memberHandler.received()).isEmpty();
    }

    @Test
    void aCertificateOfAnotherClusterIsRefused() throws Exception {
        GrpcTransport n1 = member("n1");
        ClusterAuthority other = ClusterAuthority.create("c2", new InMemorySecurityStore(), clock);
        NodeCredentials foreign = other.issueCredentials(NodeId.of("x1"));
        GrpcTransport x1 = started(GrpcTransport.builder().node(NodeId.of("x1"))
                .security(TransportSecurity.mutualTls(foreign)).build(), new TransportTestHandler());

        TransportException e = refusedConnection(failure(x1.runStep(n1.localAddress(), step("x1", "n1"), DEADLINE)));
        assertThat(e.getMessage()).startsWith("TLS handshake with node at " + n1.localAddress() + " failed");
        assertThat(e.remedy()).contains("same cluster CA");
        assertThat(e.getMessage()).contains("was not issued by this cluster's CA (CN=cluster-ca,OU=c2,O=gd-kit)");

        // a client that trusts n1's CA and presents the foreign certificate: the server's TLS refuses it
        ManagedChannel ch = rawTlsChannel(n1.localAddress(), TlsChannelCredentials.newBuilder()
                .keyManager(TlsMaterial.member(foreign).keyManager())
                .trustManager(new PinnedCaTrustManager(authority.ca().fingerprint())));
        StepCallMsg msg = WireMessages.toMsg(step("x1", "n1"));
        assertThatThrownBy(() -> NodeGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS).runStep(msg))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        assertThat(memberHandler.received()).isEmpty();
    }

    @Test
    void aTokenOfAnotherClusterIsNeverSentToThisCluster() throws Exception {
        GrpcTransport n1 = member("n1");
        ClusterAuthority other = ClusterAuthority.create("c2", new InMemorySecurityStore(), clock);
        IssuedToken foreignToken = other.issueToken(NodeId.of("x1"), Duration.ofMinutes(5));
        GrpcTransport n2 = joiner("n2", new TransportTestHandler());

        TransportException e = refusedConnection(failure(n2.join(n1.localAddress(),
                joinRequest("n2", foreignToken.token().encode()), DEADLINE)));

        assertThat(e.getMessage()).contains("does not present the cluster CA pinned in the join token");
        assertThat(memberHandler.received()).isEmpty();
        assertThat(other.ca().fingerprint()).isEqualTo(foreignToken.token().caFingerprint());
    }

    @Test
    void aJoinWithoutOrWithAMalformedTokenFailsBeforeDialling() throws Exception {
        GrpcTransport n2 = joiner("n2", new TransportTestHandler());
        String nowhere = GrpcTestSupport.unusedLoopbackAddress();
        GdException none = (GdException) failure(n2.join(nowhere, joinRequest("n2", ""), DEADLINE));
        assertThat(none.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
        assertThat(none.getMessage()).contains("has no cluster certificate yet and the join request carries no join token");
        GdException bad = (GdException) failure(n2.join(nowhere, joinRequest("n2", "gdjoin1.nope"), DEADLINE));
        assertThat(bad.getMessage()).startsWith("the join token is malformed");
    }

    @Test
    void aMemberWithoutTheAuthorityCannotAdmitJoiners() throws Exception {
        GrpcTransport n1 = started(GrpcTransport.builder().node(NodeId.of("n1"))
                .security(TransportSecurity.mutualTls(authority.issueCredentials(NodeId.of("n1")))).build(),
                memberHandler);
        IssuedToken token = authority.issueToken(NodeId.of("n1"), Duration.ofMinutes(5));
        GrpcTransport n2 = joiner("n2", new TransportTestHandler());
        GdException e = (GdException) failure(n2.join(n1.localAddress(), joinRequest("n2", token.token().encode()),
                DEADLINE));
        assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
        assertThat(e.getMessage()).isEqualTo("node n1 cannot admit node n2: it holds no cluster authority "
                + "(no CA, no join tokens)");
        assertThat(memberHandler.received()).isEmpty();
    }

    @Test
    void withoutTlsTheTokenStillGatesJoins() throws Exception {
        String name = "n1-" + UUID.randomUUID();
        GrpcTransport n1 = started(GrpcTransport.builder().node(NodeId.of("n1")).inProcess(name)
                .security(TransportSecurity.insecurePlaintext()).authority(authority).build(), memberHandler);
        GrpcTransport n2 = started(GrpcTransport.builder().node(NodeId.of("n2")).inProcess(name + "-2")
                .security(TransportSecurity.insecurePlaintext()).build(), new TransportTestHandler());
        IssuedToken token = authority.issueToken(NodeId.of("n1"), Duration.ofMinutes(5));
        assertThat(n2.join(n1.localAddress(), joinRequest("n2", token.token().encode()), DEADLINE).get().clusterId())
                .isEqualTo("c1");
        GdException reused = (GdException) failure(n2.join(n1.localAddress(),
                joinRequest("n2", token.token().encode()), DEADLINE));
        assertThat(reused.getMessage()).contains("was already used by node n2");
        GdException none = (GdException) failure(n2.join(n1.localAddress(), joinRequest("n2", ""), DEADLINE));
        assertThat(none.getMessage()).contains("presented no join token");
    }

    @Test
    void plainTextLogsAWarningAtStart() {
        Logger log = (Logger) LoggerFactory.getLogger(GrpcTransport.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            GrpcTransport t = started(GrpcTransport.builder().node(NodeId.of("n1"))
                    .security(TransportSecurity.insecurePlaintext()).build(), new TransportTestHandler());
            assertThat(appender.list).anySatisfy(ev -> {
                assertThat(ev.getLevel()).isEqualTo(Level.WARN);
                assertThat(ev.getFormattedMessage()).startsWith("INSECURE: node n1 serves node-to-node gRPC at "
                        + t.localAddress() + " in PLAIN TEXT");
            });
            GrpcTransport secure = member("n2");
            assertThat(appender.list).noneSatisfy(ev -> assertThat(ev.getFormattedMessage())
                    .contains("INSECURE: node n2"));
            assertThat(secure.localAddress()).isNotBlank();
        } finally {
            log.detachAppender(appender);
        }
    }

    @Test
    void theHealthServiceReportsServing() {
        String name = "h-" + UUID.randomUUID();
        started(GrpcTransport.builder().node(NodeId.of("n1")).inProcess(name)
                .security(TransportSecurity.insecurePlaintext()).build(), new TransportTestHandler());
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        closeables.add(ch::shutdownNow);
        HealthCheckResponse r = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(GrpcTransport.HEALTH_SERVICE).build());
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void badArgumentsAreRefusedWithWhatIsAllowed() throws Exception {
        GrpcTransport n1 = member("n1");
        GdException zero = (GdException) failure(n1.runStep(n1.localAddress(), step("n1", "n1"), Duration.ZERO));
        assertThat(zero.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(zero.getMessage()).contains("deadline PT0S of RunStep").contains("is not positive");
        GdException addr = (GdException) failure(n1.runStep("no-port", step("n1", "n1"), DEADLINE));
        assertThat(addr.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(addr.getMessage()).isEqualTo("node address 'no-port' is not host:port");
        assertThatThrownBy(() -> GrpcTransport.builder().node(NodeId.of("n1")).inProcess("x").build())
                .isInstanceOf(GdException.class).hasMessageContaining("in-process transport has no TLS");
        assertThatThrownBy(() -> GrpcTransport.builder().node(NodeId.of("n2"))
                .security(TransportSecurity.mutualTls(authority.issueCredentials(NodeId.of("n1")))).build())
                .isInstanceOf(GdException.class).hasMessage("credentials are for node n1, not n2");
        assertThatThrownBy(() -> GrpcTransport.builder().port(70000)).isInstanceOf(GdException.class)
                .hasMessage("port 70000 is out of range");
        assertThatThrownBy(() -> GrpcTransport.builder().build()).isInstanceOf(GdException.class)
                .hasMessageContaining("no node id");
        assertThatThrownBy(() -> n1.start(new TransportTestHandler())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
        Transport fresh = GrpcTransport.builder().node(NodeId.of("n5")).build();
        assertThatThrownBy(fresh::localAddress).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
    }

    @Test
    void aJoinerTrustsTheCaFromTheTokenOnly() {
        IssuedToken token = authority.issueToken(NodeId.of("n1"), Duration.ofMinutes(5));
        assertThat(JoinToken.parse(token.token().encode())).isEqualTo(token.token());
        assertThat(token.token().toString()).doesNotContain(token.token().secret());
    }
}
