package dev.gdkit.grpc.api;

import dev.gdkit.api.client.ApiMessages;
import dev.gdkit.api.client.GrpcErrors;
import dev.gdkit.api.client.proto.Ack;
import dev.gdkit.api.client.proto.CreateJoinTokenRequest;
import dev.gdkit.api.client.proto.CreateVolumeRequest;
import dev.gdkit.api.client.proto.EventMsg;
import dev.gdkit.api.client.proto.GetOpVersionRequest;
import dev.gdkit.api.client.proto.JoinTokenMsg;
import dev.gdkit.api.client.proto.ListPeersRequest;
import dev.gdkit.api.client.proto.ListVolumesRequest;
import dev.gdkit.api.client.proto.ManagementGrpc;
import dev.gdkit.api.client.proto.OpVersionMsg;
import dev.gdkit.api.client.proto.OptionList;
import dev.gdkit.api.client.proto.PeerList;
import dev.gdkit.api.client.proto.PeerMsg;
import dev.gdkit.api.client.proto.PeerRequest;
import dev.gdkit.api.client.proto.ResetOptionsRequest;
import dev.gdkit.api.client.proto.SetOpVersionRequest;
import dev.gdkit.api.client.proto.SetOptionsRequest;
import dev.gdkit.api.client.proto.VolumeList;
import dev.gdkit.api.client.proto.VolumeMsg;
import dev.gdkit.api.client.proto.VolumeRequest;
import dev.gdkit.api.client.proto.WatchEventsRequest;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.grpc.transport.GrpcReplies;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The management API ({@code gdkit.api.v1.Management}) implemented against a {@link ManagementBackend}.
 * Requests are turned into model values (bad values are refused with INVALID_ARGUMENT before the
 * backend sees them); backend errors reach the client unchanged.
 */
public final class ManagementService extends ManagementGrpc.ManagementImplBase {
    /** How many events a watcher may fall behind by default before its watch is ended. */
    public static final int DEFAULT_EVENT_BUFFER = 10_000;

    private final ManagementBackend backend;
    private final int eventBuffer;

    public ManagementService(ManagementBackend backend) {
        this(backend, DEFAULT_EVENT_BUFFER);
    }

    /** @param eventBuffer how many events a watcher may fall behind before its watch is ended (at least 1) */
    public ManagementService(ManagementBackend backend, int eventBuffer) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        if (eventBuffer < 1) {
            throw GdException.invalid("event buffer " + eventBuffer + " is too small", "give at least 1 event");
        }
        this.eventBuffer = eventBuffer;
    }

    private static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        GrpcReplies.answer(out, body);
    }

    private static String required(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw GdException.invalid(what + " is missing", "give the " + what);
        }
        return value;
    }

    @Override
    public void listPeers(ListPeersRequest request, StreamObserver<PeerList> out) {
        answer(out, () -> PeerList.newBuilder().addAllPeers(backend.peers().listPeers().stream().map(ApiMessages::toMsg)
                .toList()).build());
    }

    @Override
    public void getPeer(PeerRequest request, StreamObserver<PeerMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.peers().getPeer(NodeId.of(request.getId()))));
    }

    @Override
    public void removePeer(PeerRequest request, StreamObserver<Ack> out) {
        answer(out, () -> {
            backend.peers().removePeer(NodeId.of(request.getId()));
            return Ack.getDefaultInstance();
        });
    }

    @Override
    public void createJoinToken(CreateJoinTokenRequest request, StreamObserver<JoinTokenMsg> out) {
        answer(out, () -> {
            if (request.getTtlSeconds() <= 0) {
                throw GdException.invalid("join token lifetime " + request.getTtlSeconds() + " s is not positive",
                        "give a lifetime in seconds above 0, for example 3600");
            }
            return ApiMessages.toMsg(backend.peers().createJoinToken(Duration.ofSeconds(request.getTtlSeconds())));
        });
    }

    @Override
    public void listVolumes(ListVolumesRequest request, StreamObserver<VolumeList> out) {
        answer(out, () -> VolumeList.newBuilder().addAllVolumes(backend.volumes().listVolumes().stream()
                .map(ApiMessages::toMsg).toList()).build());
    }

    @Override
    public void getVolume(VolumeRequest request, StreamObserver<VolumeMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.volumes().getVolume(required(request.getName(), "volume name"))));
    }

    @Override
    public void createVolume(CreateVolumeRequest request, StreamObserver<VolumeMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.volumes().createVolume(ApiMessages.fromMsg(request))));
    }

    @Override
    public void startVolume(VolumeRequest request, StreamObserver<VolumeMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.volumes().startVolume(required(request.getName(), "volume name"))));
    }

    @Override
    public void stopVolume(VolumeRequest request, StreamObserver<VolumeMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.volumes().stopVolume(required(request.getName(), "volume name"))));
    }

    @Override
    public void deleteVolume(VolumeRequest request, StreamObserver<Ack> out) {
        answer(out, () -> {
            backend.volumes().deleteVolume(required(request.getName(), "volume name"));
            return Ack.getDefaultInstance();
        });
    }

    private static OptionList options(List<OptionValue> values) {
        return OptionList.newBuilder().addAllOptions(values.stream().map(ApiMessages::toMsg).toList()).build();
    }

    @Override
    public void getOptions(VolumeRequest request, StreamObserver<OptionList> out) {
        answer(out, () -> options(backend.options().getOptions(required(request.getName(), "volume name"))));
    }

    @Override
    public void setOptions(SetOptionsRequest request, StreamObserver<OptionList> out) {
        answer(out, () -> {
            if (request.getOptionsMap().isEmpty()) {
                throw GdException.invalid("no options given to set on volume " + request.getVolume(),
                        "give at least one key=value");
            }
            return options(backend.options().setOptions(required(request.getVolume(), "volume name"),
                    request.getOptionsMap()));
        });
    }

    @Override
    public void resetOptions(ResetOptionsRequest request, StreamObserver<OptionList> out) {
        answer(out, () -> options(backend.options().resetOptions(required(request.getVolume(), "volume name"),
                Set.copyOf(request.getKeysList()))));
    }

    @Override
    public void getOpVersion(GetOpVersionRequest request, StreamObserver<OpVersionMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.opVersion().getOpVersion()));
    }

    @Override
    public void setOpVersion(SetOpVersionRequest request, StreamObserver<OpVersionMsg> out) {
        answer(out, () -> ApiMessages.toMsg(backend.opVersion().setOpVersion(OpVersion.of(request.getOpVersion()))));
    }

    /**
     * Streams events until the client cancels. Events wait in a per-watcher buffer while the client
     * is not ready (gRPC flow control); a watcher that falls more than the buffer behind has its
     * watch ended with an error (the publisher never blocks), and can watch again.
     */
    @Override
    public void watchEvents(WatchEventsRequest request, StreamObserver<EventMsg> out) {
        new EventWatch((ServerCallStreamObserver<EventMsg>) out, Set.copyOf(request.getNamesList())).start();
    }

    private final class EventWatch {
        private final ServerCallStreamObserver<EventMsg> call;
        private final Set<String> names;
        private final java.util.ArrayDeque<EventMsg> pending = new java.util.ArrayDeque<>();
        private final java.util.concurrent.atomic.AtomicReference<EventSource.Subscription> sub =
                new java.util.concurrent.atomic.AtomicReference<>();
        private boolean ended;

        EventWatch(ServerCallStreamObserver<EventMsg> call, Set<String> names) {
            this.call = call;
            this.names = names;
        }

        void start() {
            call.setOnReadyHandler(this::drain);
            call.setOnCancelHandler(this::end);
            call.setOnCloseHandler(this::end);
            try {
                sub.set(backend.events().subscribe(this::offer));
            } catch (GdException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(GrpcReplies.internal(e));
            }
            synchronized (this) {
                if (ended) {
                    unsubscribe();
                }
            }
        }

        private void offer(dev.gdkit.api.model.Event e) {
            if (!names.isEmpty() && !names.contains(e.name())) {
                return;
            }
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (pending.size() >= eventBuffer) {
                    pending.clear();
                    fail(new GdException(dev.gdkit.api.error.ErrorCode.INTERNAL, "the event watch fell more than "
                            + eventBuffer + " events behind and was ended; later events were dropped",
                            "watch again and re-read the state you follow; handle events faster"));
                    return;
                }
                pending.add(ApiMessages.toMsg(e));
            }
            drain();
        }

        private synchronized void drain() {
            while (!ended && !pending.isEmpty() && call.isReady()) {
                call.onNext(pending.poll());
            }
        }

        private synchronized void fail(GdException e) {
            if (!ended) {
                ended = true;
                call.onError(GrpcErrors.toStatus(e));
                unsubscribe();
            }
        }

        private synchronized void end() {
            ended = true;
            pending.clear();
            unsubscribe();
        }

        private void unsubscribe() {
            EventSource.Subscription s = sub.getAndSet(null);
            if (s != null) {
                s.close();
            }
        }
    }
}
