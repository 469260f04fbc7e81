package dev.gdkit.grpc.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.client.ClusterOpVersion;
import dev.gdkit.api.client.EventSubscription;
import dev.gdkit.api.client.GdClient;
import dev.gdkit.api.client.JoinTokenInfo;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.grpc.security.ClusterAuthority;
import dev.gdkit.grpc.security.InMemorySecurityStore;
import dev.gdkit.grpc.security.JoinToken;
import dev.gdkit.grpc.security.MutableClock;
import dev.gdkit.grpc.transport.ClusterTls;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GdClient against the management API server over gRPC, backed by a real in-memory cluster model. */
class GdClientTest {
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final ClusterAuthority authority = ClusterAuthority.create("c1", new InMemorySecurityStore(), clock);
    private final InMemoryManagementBackend backend =
            new InMemoryManagementBackend(NodeId.of("n1"), authority, clock, OpVersion.of(100000));
    private final Peer n1 = new Peer(NodeId.of("n1"), "host1", List.of("10.0.0.1:24008"), PeerState.CONNECTED,
            OpVersionRange.of(1, 120000), Map.of("zone", "a"));
    private final Peer n2 = new Peer(NodeId.of("n2"), "host2", List.of("10.0.0.2:24008"), PeerState.UNREACHABLE,
            OpVersionRange.of(1, 110000), Map.of());
    private ManagementServer server;
    private io.grpc.ManagedChannel channel;
    private GdClient client;

    @BeforeEach
    void start() {
        backend.addPeer(n1);
        backend.addPeer(n2);
        String name = "mgmt-" + UUID.randomUUID();
        server = ManagementServer.builder().backend(backend.asBackend()).inProcess(name).start();
        channel = InProcessChannelBuilder.forName(name).build();
        client = GdClient.builder().channel(channel).deadline(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        channel.shutdownNow();
        server.close();
    }

    private static VolCreateRequest replica2(String name) {
        return new VolCreateRequest(name, "", List.of(new SubvolRequest("replicate",
                List.of(new BrickRequest("n1", "/b/" + name, "brick"), new BrickRequest("n2", "/b/" + name, "")),
                2, 0, 0, 0, 0)), Map.of("performance.cache-size", "64MB"), false, false, false, false,
                Map.of("create-brick-dir", true), Map.of("owner", "qa"), 0);
    }

    private static GdException error(Runnable r) {
        try {
            r.run();
        } catch (GdException e) {
            return e;
        }
        throw new AssertionError("expected a GdException");
    }

    @Test
    void peersRoundTripWithEveryField() {
        assertThat(client.peers()).containsExactly(n1, n2);
        assertThat(client.peer(NodeId.of("n2"))).isEqualTo(n2);
        GdException e = error(() -> client.peer(NodeId.of("n9")));
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("peer n9 is not a member of the cluster");
        assertThat(e.remedy()).isEqualTo("list the peers to see their ids");
    }

    @Test
    void aJoinTokenIsIssuedByTheClusterAuthority() {
        JoinTokenInfo t = client.createJoinToken(Duration.ofMinutes(30));
        assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(JoinToken.parse(t.token()).caFingerprint()).isEqualTo(authority.ca().fingerprint());
        assertThat(t.toString()).doesNotContain(t.token());
        GdException zero = error(() -> client.createJoinToken(Duration.ZERO));
        assertThat(zero.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(zero.getMessage()).isEqualTo("join token lifetime 0 s is not positive");
        GdException tooLong = error(() -> client.createJoinToken(Duration.ofDays(30)));
        assertThat(tooLong.getMessage()).isEqualTo("join token lifetime PT720H is out of range");
    }

    @Test
    void volumeLifecycleAndItsErrors() {
        Volume created = client.createVolume(replica2("gv0"));
        assertThat(created.type()).isEqualTo(VolumeType.REPLICATE);
        assertThat(created.state()).isEqualTo(VolumeState.CREATED);
        assertThat(created.options()).containsEntry("performance.cache-size", "64MB");
        assertThat(created.metadata()).containsEntry("owner", "qa");
        assertThat(created.bricks()).extracting(b -> b.endpoint()).containsExactly("host1:/b/gv0", "host2:/b/gv0");
        assertThat(created.bricks()).extracting(b -> b.type()).containsOnly(BrickType.BRICK);
        assertThat(client.volume("gv0")).isEqualTo(created);
        assertThat(client.volumes()).containsExactly(created);

        GdException dup = error(() -> client.createVolume(replica2("gv0")));
        assertThat(dup.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(dup.getMessage()).isEqualTo("volume gv0 already exists");

        VolCreateRequest stranger = new VolCreateRequest("gv1", "", List.of(new SubvolRequest("distribute",
                List.of(new BrickRequest("n7", "/b", "")), 0, 0, 0, 0, 0)), Map.of(), false, false, false, false,
                Map.of(), Map.of(), 0);
        GdException outside = error(() -> client.createVolume(stranger));
        assertThat(outside.code()).isEqualTo(ErrorCode.NODE_NOT_IN_CLUSTER);
        assertThat(outside.getMessage()).isEqualTo("brick n7:/b is on a node that is not in the cluster");

        assertThat(client.startVolume("gv0").state()).isEqualTo(VolumeState.STARTED);
        GdException again = error(() -> client.startVolume("gv0"));
        assertThat(again.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(again.getMessage()).isEqualTo("volume gv0 is already started");
        GdException deleteStarted = error(() -> client.deleteVolume("gv0"));
        assertThat(deleteStarted.remedy()).isEqualTo("stop it before deleting it");
        GdException removeBusyPeer = error(() -> client.removePeer(NodeId.of("n2")));
        assertThat(removeBusyPeer.getMessage()).isEqualTo("peer n2 hosts bricks of volumes [gv0]");
        assertThat(client.stopVolume("gv0").state()).isEqualTo(VolumeState.STOPPED);
        client.deleteVolume("gv0");
        assertThat(client.volumes()).isEmpty();
        assertThat(error(() -> client.volume("gv0")).code()).isEqualTo(ErrorCode.NOT_FOUND);
        client.removePeer(NodeId.of("n2"));
        assertThat(client.peers()).containsExactly(n1);
        GdException noName = error(() -> client.startVolume(""));
        assertThat(noName.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(noName.getMessage()).isEqualTo("volume name is missing");
    }

    @Test
    void optionsAreSetResetAndCheckedAgainstTheOpVersion() {
        client.createVolume(replica2("gv0"));
        List<OptionValue> after = client.setOptions("gv0", Map.of("cluster.eager-lock", "off"));
        assertThat(after).filteredOn(o -> o.key().equals("cluster.eager-lock")).singleElement()
                .satisfies(o -> {
                    assertThat(o.value()).isEqualTo("off");
                    assertThat(o.isDefault()).isFalse();
                    assertThat(o.defaultValue()).isEqualTo("on");
                });
        assertThat(client.options("gv0")).isEqualTo(after);
        GdException unknown = error(() -> client.setOptions("gv0", Map.of("no.such", "1")));
        assertThat(unknown.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(unknown.getMessage()).isEqualTo("option 'no.such' is not known");
        GdException tooNew = error(() -> client.setOptions("gv0", Map.of("features.new-thing", "on")));
        assertThat(tooNew.code()).isEqualTo(ErrorCode.OP_VERSION_TOO_LOW);
        assertThat(tooNew.remedy()).isEqualTo("raise the cluster op-version to 110000 first");
        GdException empty = error(() -> client.setOptions("gv0", Map.of()));
        assertThat(empty.getMessage()).isEqualTo("no options given to set on volume gv0");
        List<OptionValue> reset = client.resetOptions("gv0", List.of("cluster.eager-lock"));
        assertThat(reset).filteredOn(o -> o.key().equals("cluster.eager-lock")).singleElement()
                .satisfies(o -> assertThat(o.isDefault()).isTrue());
        assertThat(client.resetOptions("gv0", List.of())).allSatisfy(o -> assertThat(o.isDefault()).isTrue());
    }

    @Test
    void opVersionIsRaisedWithinWhatEveryPeerCanRun() {
        assertThat(client.opVersion()).isEqualTo(new ClusterOpVersion(OpVersion.of(100000), OpVersion.of(110000)));
        GdException high = error(() -> client.setOpVersion(OpVersion.of(120000)));
        assertThat(high.code()).isEqualTo(ErrorCode.OP_VERSION_INCOMPATIBLE);
        assertThat(high.getMessage()).isEqualTo("op-version 120000 is above what peers [n2] can run (at most 110000)");
        assertThat(client.setOpVersion(OpVersion.of(110000)).current()).isEqualTo(OpVersion.of(110000));
        GdException lower = error(() -> client.setOpVersion(OpVersion.of(100000)));
        assertThat(lower.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        client.createVolume(replica2("gv0"));
        client.setOptions("gv0", Map.of("features.new-thing", "on"));
    }

    @Test
    void eventsAreStreamedFilteredAndStopWhenClosed() throws Exception {
        BlockingQueue<Event> all = new LinkedBlockingQueue<>();
        BlockingQueue<Event> started = new LinkedBlockingQueue<>();
        BlockingQueue<GdException> errors = new LinkedBlockingQueue<>();
        EventSubscription a = client.watchEvents(Set.of(), all::add, errors::add);
        EventSubscription s = client.watchEvents(Set.of("volume-started"), started::add, errors::add);
        awaitListeners(2);

        client.createVolume(replica2("gv0"));
        client.startVolume("gv0");

        Event e1 = all.poll(20, TimeUnit.SECONDS);
        Event e2 = all.poll(20, TimeUnit.SECONDS);
        assertThat(e1).isNotNull();
        assertThat(e1.name()).isEqualTo("volume-created");
        assertThat(e1.data()).isEqualTo(Map.of("volume", "gv0"));
        assertThat(e1.origin()).isEqualTo(NodeId.of("n1"));
        assertThat(e1.timestamp()).isEqualTo(clock.instant());
        assertThat(e2.name()).isEqualTo("volume-started");
        Event onlyStarted = started.poll(20, TimeUnit.SECONDS);
        assertThat(onlyStarted).isEqualTo(e2);
        a.close();
        s.close();
        awaitListeners(0);
        assertThat(started).isEmpty();
        assertThat(errors).isEmpty();
    }

    @Test
    void theEndOfTheServerEndsTheWatchWithAnError() throws Exception {
        BlockingQueue<GdException> errors = new LinkedBlockingQueue<>();
        client.watchEvents(Set.of(), e -> { }, errors::add);
        awaitListeners(1);
        server.close();
        GdException e = errors.poll(20, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
    }

    @Test
    void aWatcherThatFallsTooFarBehindIsEndedWithAnError() throws Exception {
        String name = "slow-" + UUID.randomUUID();
        try (ManagementServer small = ManagementServer.builder().backend(backend.asBackend()).inProcess(name)
                .eventBuffer(50).start()) {
            io.grpc.ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            BlockingQueue<GdException> errors = new LinkedBlockingQueue<>();
            try (GdClient slow = GdClient.builder().channel(ch).build()) {
                slow.watchEvents(Set.of(), e -> {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }, errors::add);
                awaitListeners(1);
                for (int i = 0; i < 500; i++) {
                    backend.publish("tick", Map.of("i", Integer.toString(i)));
                }
                awaitListeners(0);
                release.countDown();
                GdException e = errors.poll(20, TimeUnit.SECONDS);
                assertThat(e).isNotNull();
                assertThat(e.getMessage()).isEqualTo("the event watch fell more than 50 events behind and was "
                        + "ended; later events were dropped");
            } finally {
                ch.shutdownNow();
            }
        }
    }

    private void awaitListeners(int n) throws InterruptedException {
        for (int i = 0; i < 2000 && backend.listenerCount() != n; i++) {
            Thread.sleep(10);
        }
        assertThat(backend.listenerCount()).isEqualTo(n);
    }

    @Test
    void anUnreachableServerIsReportedAsSuch() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (GdClient c = GdClient.builder().target("127.0.0.1:" + port)
                .credentials(InsecureChannelCredentials.create()).build()) {
            GdException e = error(c::peers);
            assertThat(e.code()).isEqualTo(ErrorCode.NODE_UNREACHABLE);
            assertThat(e.getMessage()).startsWith("the management API at 127.0.0.1:" + port + " is unreachable");
        }
    }

    @Test
    void theClientOverNettyPlainText() {
        try (ManagementServer tcp = ManagementServer.builder().backend(backend.asBackend())
                .credentials(InsecureServerCredentials.create()).start();
             GdClient c = GdClient.builder().target(tcp.address()).credentials(InsecureChannelCredentials.create())
                     .build()) {
            assertThat(c.peers()).containsExactly(n1, n2);
        }
    }

    @Test
    void theClientOverMutualTlsWithAClusterCertificate() {
        try (ManagementServer tls = ManagementServer.builder().backend(backend.asBackend())
                .credentials(ClusterTls.serverCredentials(authority.issueCredentials(NodeId.of("n1")))).start()) {
            try (GdClient admin = GdClient.builder().target(tls.address())
                    .credentials(ClusterTls.channelCredentials(authority.issueCredentials(NodeId.of("admin-cli"))))
                    .build()) {
                assertThat(admin.peers()).containsExactly(n1, n2);
            }
            ClusterAuthority other = ClusterAuthority.create("c2", new InMemorySecurityStore(), clock);
            try (GdClient stranger = GdClient.builder().target(tls.address())
                    .credentials(ClusterTls.channelCredentials(other.issueCredentials(NodeId.of("admin-cli"))))
                    .build()) {
                GdException e = error(stranger::peers);
                assertThat(e.code()).isEqualTo(ErrorCode.JOIN_REFUSED);
                assertThat(e.getMessage()).startsWith("TLS handshake with the management API at " + tls.address()
                        + " failed: certificate CN=n1,OU=c1,O=gd-kit was not issued by this cluster's CA "
                        + "(CN=cluster-ca,OU=c2,O=gd-kit)");
            }
        }
    }

    @Test
    void builderMistakesAreExplained() {
        assertThatThrownBy(() -> GdClient.builder().build()).isInstanceOf(GdException.class)
                .hasMessage("no target or no credentials given to the GdClient builder");
        assertThatThrownBy(() -> GdClient.builder().channel(channel).target("x:1").build())
                .isInstanceOf(GdException.class).hasMessage("both a channel and a target/credentials were given");
        assertThatThrownBy(() -> GdClient.builder().deadline(Duration.ZERO)).isInstanceOf(GdException.class)
                .hasMessage("client deadline PT0S is not positive");
        assertThatThrownBy(() -> ManagementServer.builder().backend(backend.asBackend()).start())
                .isInstanceOf(GdException.class).hasMessage("no credentials given to the management server");
    }
}
