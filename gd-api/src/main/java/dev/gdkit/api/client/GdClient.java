package dev.gdkit.api.client;

import dev.gdkit.api.client.proto.CreateJoinTokenRequest;
import dev.gdkit.api.client.proto.EventMsg;
import dev.gdkit.api.client.proto.GetOpVersionRequest;
import dev.gdkit.api.client.proto.ListPeersRequest;
import dev.gdkit.api.client.proto.ListVolumesRequest;
import dev.gdkit.api.client.proto.ManagementGrpc;
import dev.gdkit.api.client.proto.OptionList;
import dev.gdkit.api.client.proto.PeerRequest;
import dev.gdkit.api.client.proto.ResetOptionsRequest;
import dev.gdkit.api.client.proto.SetOpVersionRequest;
import dev.gdkit.api.client.proto.SetOptionsRequest;
import dev.gdkit.api.client.proto.VolumeRequest;
import dev.gdkit.api.client.proto.WatchEventsRequest;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.Volume;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Java client of the gd-kit management API. Every call is blocking, has a deadline
 * ({@link Builder#deadline(Duration)}, 30 s by default) and fails with the {@link GdException} the
 * server raised (same code, message, remedy and node errors) or, when the server could not be
 * reached or did not answer in time, a {@link GdException} with code {@code NODE_UNREACHABLE}.
 * Thread-safe.
 *
 * <pre>{@code
 * try (GdClient client = GdClient.builder().target("node1:24007")
 *         .credentials(TlsChannelCredentials.newBuilder().trustManager(caPem).build()).build()) {
 *     for (Volume v : client.volumes()) { ... }
 * }
 * }</pre>
 */
public final class GdClient implements AutoCloseable {
    private final String target;
    private final Channel channel;
    private final ManagedChannel owned;
    private final Duration deadline;

    private GdClient(String target, Channel channel, ManagedChannel owned, Duration deadline) {
        this.target = target;
        this.channel = channel;
        this.owned = owned;
        this.deadline = deadline;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where this client sends its calls. */
    public String target() {
        return target;
    }

    // ---- peers

    public List<Peer> peers() {
        return call(() -> stub().listPeers(ListPeersRequest.getDefaultInstance()).getPeersList().stream()
                .map(ApiMessages::fromMsg).toList());
    }

    public Peer peer(NodeId id) {
        return call(() -> ApiMessages.fromMsg(stub().getPeer(PeerRequest.newBuilder().setId(id.value()).build())));
    }

    public void removePeer(NodeId id) {
        call(() -> stub().removePeer(PeerRequest.newBuilder().setId(id.value()).build()));
    }

    /** A one-time token that lets a new node join; valid for {@code ttl}. */
    public JoinTokenInfo createJoinToken(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        return call(() -> ApiMessages.fromMsg(stub().createJoinToken(
                CreateJoinTokenRequest.newBuilder().setTtlSeconds(ttl.toSeconds()).build())));
    }

    // ---- volumes

    public List<Volume> volumes() {
        return call(() -> stub().listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList().stream()
                .map(ApiMessages::fromMsg).toList());
    }

    public Volume volume(String name) {
        return call(() -> ApiMessages.fromMsg(stub().getVolume(volumeRequest(name))));
    }

    /** Creates a volume from a GlusterD2-shaped request. */
    public Volume createVolume(VolCreateRequest request) {
        Objects.requireNonNull(request, "request");
        return call(() -> ApiMessages.fromMsg(stub().createVolume(ApiMessages.toMsg(request))));
    }

    public Volume startVolume(String name) {
        return call(() -> ApiMessages.fromMsg(stub().startVolume(volumeRequest(name))));
    }

    public Volume stopVolume(String name) {
        return call(() -> ApiMessages.fromMsg(stub().stopVolume(volumeRequest(name))));
    }

    public void deleteVolume(String name) {
        call(() -> stub().deleteVolume(volumeRequest(name)));
    }

    // ---- options

    /** Every option of the volume with its effective value. */
    public List<OptionValue> options(String volume) {
        return call(() -> options(stub().getOptions(volumeRequest(volume))));
    }

    public List<OptionValue> setOptions(String volume, Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        return call(() -> options(stub().setOptions(
                SetOptionsRequest.newBuilder().setVolume(volume).putAllOptions(options).build())));
    }

    /** Resets {@code keys} to their defaults; all explicitly set options when {@code keys} is empty. */
    public List<OptionValue> resetOptions(String volume, Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        return call(() -> options(stub().resetOptions(
                ResetOptionsRequest.newBuilder().setVolume(volume).addAllKeys(keys).build())));
    }

    // ---- op-version

    public ClusterOpVersion opVersion() {
        return call(() -> ApiMessages.fromMsg(stub().getOpVersion(GetOpVersionRequest.getDefaultInstance())));
    }

    public ClusterOpVersion setOpVersion(OpVersion version) {
        Objects.requireNonNull(version, "version");
        return call(() -> ApiMessages.fromMsg(stub().setOpVersion(
                SetOpVersionRequest.newBuilder().setOpVersion(version.value()).build())));
    }

    // ---- events

    /**
     * Streams events named in {@code names} (all when empty) to {@code onEvent}, in the order the
     * server sends them, until the subscription is closed. The stream has no deadline. When it ends
     * for any other reason than {@link EventSubscription#close()}, {@code onError} gets the cause.
     * Callbacks run on gRPC threads, one at a time.
     */
    public EventSubscription watchEvents(Set<String> names, Consumer<Event> onEvent, Consumer<GdException> onError) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(onEvent, "onEvent");
        Objects.requireNonNull(onError, "onError");
        Context.CancellableContext ctx = Context.current().withCancellation();
        WatchEventsRequest req = WatchEventsRequest.newBuilder().addAllNames(names).build();
        ctx.run(() -> ManagementGrpc.newStub(channel).watchEvents(req, new StreamObserver<EventMsg>() {
            @Override
            public void onNext(EventMsg value) {
                onEvent.accept(ApiMessages.fromMsg(value));
            }

            @Override
            public void onError(Throwable t) {
                if (Status.fromThrowable(t).getCode() != Status.Code.CANCELLED || !ctx.isCancelled()) {
                    onError.accept(GrpcErrors.toException(t, target));
                }
            }

            @Override
            public void onCompleted() {
                onError.accept(new GdException(dev.gdkit.api.error.ErrorCode.NODE_UNREACHABLE,
                        "the event stream from " + target + " ended: the server is shutting down",
                        "watch again, on another node if this one stays down"));
            }
        }));
        return () -> ctx.cancel(null);
    }

    /** Closes the channel this client made; a client given a channel leaves it open. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdownNow();
            try {
                owned.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ManagementGrpc.ManagementBlockingStub stub() {
        return ManagementGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static VolumeRequest volumeRequest(String name) {
        Objects.requireNonNull(name, "volume name");
        return VolumeRequest.newBuilder().setName(name).build();
    }

    private static List<OptionValue> options(OptionList list) {
        return list.getOptionsList().stream().map(ApiMessages::fromMsg).toList();
    }

    private <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            if (e instanceof GdException g) {
                throw g;
            }
            throw GrpcErrors.toException(e, target);
        }
    }

    /** Settings of a {@link GdClient}: a target with credentials, or a ready channel. */
    public static final class Builder {
        private String target;
        private ChannelCredentials credentials;
        private Channel channel;
        private Duration deadline = Duration.ofSeconds(30);

        private Builder() {
        }

        /** {@code host:port} of a node's management API (or any gRPC target string). */
        public Builder target(String target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** How to secure the connection, for example {@code TlsChannelCredentials}. Required with a target. */
        public Builder credentials(ChannelCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Use this channel instead of making one; the client does not close it. */
        public Builder channel(Channel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /** The deadline of every unary call; positive. */
        public Builder deadline(Duration deadline) {
            if (deadline == null || deadline.isNegative() || deadline.isZero()) {
                throw GdException.invalid("client deadline " + deadline + " is not positive",
                        "give a positive duration, for example 30 seconds");
            }
            this.deadline = deadline;
            return this;
        }

        public GdClient build() {
            if (channel != null) {
                if (target != null || credentials != null) {
                    throw GdException.invalid("both a channel and a target/credentials were given",
                            "give either channel(...) or target(...) with credentials(...)");
                }
                return new GdClient(channel.authority(), channel, null, deadline);
            }
            if (target == null || credentials == null) {
                throw GdException.invalid("no target or no credentials given to the GdClient builder",
                        "give target(\"host:port\") and credentials(...), or channel(...)");
            }
            ManagedChannel ch = Grpc.newChannelBuilder(target, credentials).build();
            return new GdClient(target, ch, ch, deadline);
        }
    }
}
