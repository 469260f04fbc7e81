package dev.gdkit.core.transport;

/**
 * The node-side receiver of transport calls. Implemented by the engine, called by the transport.
 * Calls may arrive concurrently from many threads and may block; implementations are thread-safe.
 * A {@link dev.gdkit.api.error.GdException} thrown here reaches the caller as an equal
 * exception (same code, message, remedy and node errors); any other exception reaches it as
 * {@code INTERNAL} with its message.
 */
public interface InboundHandler {
    JoinReply join(JoinRequest request);

    StepReply runStep(StepCall call);

    StepReply undoStep(StepCall call);

    void notify(Notification notification);
}
