package dev.gdkit.grpc.transport;

import dev.gdkit.api.client.GrpcErrors;
import dev.gdkit.api.client.proto.ErrorDetail;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.transport.TransportException;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns a failed gRPC call into what the Transport contract promises: the remote handler's
 * {@link GdException} as it was thrown, or a {@link TransportException} whose
 * {@code outcomeUnknown} says whether the request may have run.
 */
final class CallFailures {
    private CallFailures() {
    }

    /**
     * @param sent whether the request message was handed to a live stream (it may have reached the peer)
     */
    static GdException map(Throwable t, String address, String method, Duration deadline, boolean sent) {
        Status status = Status.fromThrowable(t);
        Optional<ErrorDetail> detail = GrpcErrors.detail(Status.trailersFromThrowable(t));
        if (detail.isPresent()) {
            ErrorDetail d = detail.get();
            if (d.getTransportFailure()) {
                return new TransportException(ErrorCode.ofNumber(d.getCode()), address, d.getMessage(), d.getRemedy(),
                        d.getOutcomeUnknown(), t);
            }
            return GrpcErrors.toException(d);
        }
        Optional<String> tls = GrpcErrors.tlsFailure(t);
        if (tls.isPresent() && !sent) {
            return new TransportException(ErrorCode.JOIN_REFUSED, address,
                    "TLS handshake with node at " + address + " failed: " + tls.get(),
                    "both nodes need certificates issued by the same cluster CA: a node without one joins with a "
                            + "join token; a node of another cluster cannot be reached", false, t);
        }
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> TransportException.unreachable(address, method + " got no answer within "
                    + deadline.toMillis() + " ms; it may or may not have run there", true, t);
            case UNAVAILABLE -> TransportException.unreachable(address, method + " failed: " + describe(status)
                    + (sent ? " (the connection broke after the request was sent)" : ""), sent, t);
            case CANCELLED -> TransportException.unreachable(address, method + " was cancelled: " + describe(status),
                    sent, t);
            case UNAUTHENTICATED, PERMISSION_DENIED -> new TransportException(ErrorCode.JOIN_REFUSED, address,
                    "node at " + address + " refused " + method + ": " + describe(status),
                    "check that both nodes hold certificates of the same cluster", false, t);
            case UNIMPLEMENTED -> new TransportException(ErrorCode.INTERNAL, address, "the server at " + address
                    + " does not speak gd-kit's node protocol (" + method + " is unknown there)",
                    "check the address: it must be a gd-kit node's transport port", false, t);
            default -> new TransportException(ErrorCode.INTERNAL, address, method + " to " + address + " failed: "
                    + describe(status), "see the logs of both nodes", sent, t);
        };
    }

    private static String describe(Status status) {
        String d = status.getDescription();
        Throwable c = status.getCause();
        return status.getCode() + (d == null ? "" : ": " + d) + (c == null || c.getMessage() == null ? ""
                : " (" + c.getMessage() + ")");
    }
}
