package dev.gdkit.core.transport.inprocess;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.TransportException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A {@link Transport} over an {@link InProcessNetwork}. */
public final class InProcessTransport implements Transport {
    private final InProcessNetwork network;
    private final String name;
    private volatile InboundHandler handler;
    private volatile boolean closed;

    InProcessTransport(InProcessNetwork network, String name) {
        this.network = network;
        this.name = name;
    }

    @Override
    public String start(InboundHandler h) {
        Objects.requireNonNull(h, "handler");
        if (handler != null) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "transport '" + name + "' is already started", "start it once");
        }
        if (closed) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "transport '" + name + "' is closed", "make a new transport");
        }
        handler = h;
        network.register(name, this);
        return localAddress();
    }

    @Override
    public String localAddress() {
        return InProcessNetwork.address(name);
    }

    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<JoinReply> join(String address, JoinRequest request, Duration deadline) {
        return call(address, deadline, h -> h.join(request));
    }

    @Override
    public CompletableFuture<StepReply> runStep(String address, StepCall call, Duration deadline) {
        return call(address, deadline, h -> h.runStep(call));
    }

    @Override
    public CompletableFuture<StepReply> undoStep(String address, StepCall call, Duration deadline) {
        return call(address, deadline, h -> h.undoStep(call));
    }

    @Override
    public CompletableFuture<Void> notify(String address, Notification notification, Duration deadline) {
        return call(address, deadline, h -> {
            h.notify(notification);
            return null;
        });
    }

    @Override
    public void close() {
        closed = true;
        network.unregister(name, this);
    }

    private <T> CompletableFuture<T> call(String address, Duration deadline, Function<InboundHandler, T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            result.completeExceptionally(GdException.invalid("call deadline must be positive, got " + deadline,
                    "pass a deadline such as Duration.ofSeconds(10)"));
            return result;
        }
        if (closed) {
            result.completeExceptionally(TransportException.unreachable(address, "the local transport is closed", false, null));
            return result;
        }
        if (address == null || !address.startsWith(InProcessNetwork.SCHEME)) {
            result.completeExceptionally(GdException.invalid("invalid in-process address '" + address + "'",
                    "addresses look like " + InProcessNetwork.address("node-1")));
            return result;
        }
        String target = address.substring(InProcessNetwork.SCHEME.length());
        if (network.partitioned(name, target)) {
            result.completeExceptionally(TransportException.unreachable(address, "network partition", false, null));
            return result;
        }
        InProcessTransport peer = network.endpoint(target);
        if (peer == null || peer.closed) {
            result.completeExceptionally(TransportException.unreachable(address, "nothing is listening there", false, null));
            return result;
        }
        var timeout = network.timer().schedule(() -> result.completeExceptionally(new TransportException(
                ErrorCode.NODE_UNREACHABLE, address, "call to " + address + " exceeded its deadline of "
                + deadline.toMillis() + " ms", "the node may be overloaded or partitioned; it may have run the request",
                true, null)), deadline.toNanos(), TimeUnit.NANOSECONDS);
        boolean dropReply = network.repliesDropped(name, target);
        Duration delay = network.delay(name, target);
        Runnable deliver = () -> network.pool().execute(() -> {
            if (result.isDone() || peer.closed) {
                if (!result.isDone()) {
                    result.completeExceptionally(TransportException.unreachable(address, "the node closed", true, null));
                }
                return;
            }
            try {
                T value = body.apply(peer.handler);
                if (!dropReply) {
                    result.complete(value);
                }
            } catch (GdException e) {
                if (!dropReply) {
                    result.completeExceptionally(new GdException(e.code(), e.getMessage(), e.remedy(), e.nodeErrors(), null));
                }
            } catch (RuntimeException e) {
                if (!dropReply) {
                    result.completeExceptionally(new GdException(ErrorCode.INTERNAL, "node " + target + " failed: " + e, ""));
                }
            }
        });
        if (delay.isZero()) {
            deliver.run();
        } else {
            network.timer().schedule(deliver, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        result.whenComplete((v, e) -> timeout.cancel(false));
        return result;
    }
}
