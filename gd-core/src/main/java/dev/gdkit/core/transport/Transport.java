package dev.gdkit.core.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How nodes reach each other. One instance per node: it serves the node's {@link InboundHandler}
 * and makes calls to other nodes by address.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Thread-safe. Calls are asynchronous and never block the caller; futures complete on
 *       transport threads, so callers must not block those threads for long.</li>
 *   <li>Every call has a deadline. When it runs out the future fails with a
 *       {@link TransportException} whose {@code outcomeUnknown()} is true.</li>
 *   <li>A {@link dev.gdkit.api.error.GdException} thrown by the remote handler completes the
 *       future exceptionally with an equal exception; transport failures are
 *       {@link TransportException}s.</li>
 *   <li>Calls from one caller to one address are not ordered with respect to each other.</li>
 *   <li>After {@link #close()} the node serves nothing and new calls fail fast.</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {
    /**
     * Starts serving {@code handler}; returns the address other nodes dial to reach this node.
     * May be called once; a second call throws a RuntimeException and changes nothing. A call that
     * is in progress when the transport closes completes exceptionally with its outcome unknown.
     */
    String start(InboundHandler handler);

    /** The address returned by {@link #start(InboundHandler)}. */
    String localAddress();

    CompletableFuture<JoinReply> join(String address, JoinRequest request, Duration deadline);

    CompletableFuture<StepReply> runStep(String address, StepCall call, Duration deadline);

    CompletableFuture<StepReply> undoStep(String address, StepCall call, Duration deadline);

    /** One-way: completes when the peer has accepted the notification. */
    CompletableFuture<Void> notify(String address, Notification notification, Duration deadline);

    @Override
    void close();
}
