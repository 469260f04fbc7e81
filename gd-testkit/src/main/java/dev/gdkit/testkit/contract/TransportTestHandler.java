package dev.gdkit.testkit.contract;

import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An {@link InboundHandler} for transport tests: it records every call it receives and answers
 * with the behaviour the test set (by default it refuses with an {@link AssertionError}, so an
 * unexpected call fails the test).
 */
public final class TransportTestHandler implements InboundHandler {
    private final List<Object> received = new CopyOnWriteArrayList<>();
    private volatile Function<JoinRequest, JoinReply> onJoin = r -> {
        throw new AssertionError("unexpected join " + r);
    };
    private volatile Function<StepCall, StepReply> onRun = c -> {
        throw new AssertionError("unexpected runStep " + c);
    };
    private volatile Function<StepCall, StepReply> onUndo = c -> {
        throw new AssertionError("unexpected undoStep " + c);
    };
    private volatile Consumer<Notification> onNotify = n -> {
        throw new AssertionError("unexpected notify " + n);
    };

    public TransportTestHandler onJoin(Function<JoinRequest, JoinReply> f) {
        onJoin = Objects.requireNonNull(f);
        return this;
    }

    public TransportTestHandler onRun(Function<StepCall, StepReply> f) {
        onRun = Objects.requireNonNull(f);
        return this;
    }

    public TransportTestHandler onUndo(Function<StepCall, StepReply> f) {
        onUndo = Objects.requireNonNull(f);
        return this;
    }

    public TransportTestHandler onNotify(Consumer<Notification> f) {
        onNotify = Objects.requireNonNull(f);
        return this;
    }

    /** Every request received so far, in arrival order. */
    public List<Object> received() {
        return List.copyOf(received);
    }

    @Override
    public JoinReply join(JoinRequest request) {
        received.add(request);
        return onJoin.apply(request);
    }

    @Override
    public StepReply runStep(StepCall call) {
        received.add(call);
        return onRun.apply(call);
    }

    @Override
    public StepReply undoStep(StepCall call) {
        received.add(call);
        return onUndo.apply(call);
    }

    @Override
    public void notify(Notification notification) {
        received.add(notification);
        onNotify.accept(notification);
    }
}
