package dev.gdkit.api.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.gdkit.api.client.proto.ErrorDetail;
import dev.gdkit.api.client.proto.NodeErrorDetail;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * How a {@link GdException} travels over gRPC: a status code chosen from its {@link ErrorCode} and
 * an {@link ErrorDetail} in the trailer {@value #TRAILER_NAME}, which carries code, message, remedy
 * and node errors unchanged. Used by both ends of the management API and by the node-to-node
 * protocol.
 */
public final class GrpcErrors {
    /** The binary trailer that holds the serialized {@link ErrorDetail}. */
    public static final String TRAILER_NAME = "gd-error-bin";
    /** The key of {@link #TRAILER_NAME}. */
    public static final Metadata.Key<byte[]> TRAILER =
            Metadata.Key.of(TRAILER_NAME, Metadata.BINARY_BYTE_MARSHALLER);

    private GrpcErrors() {
    }

    /**
     * The gRPC status code a gd-kit error code travels with (INTERNAL for codes without a closer
     * match). Only a hint for generic gRPC clients: the trailer carries the exact code.
     */
    public static Status.Code statusCode(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, TRANSACTION_INVALID, STEP_UNKNOWN, STORE_INVALID, NODE_NOT_IN_CLUSTER ->
                    Status.Code.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case FAILED_PRECONDITION, OP_VERSION_TOO_LOW, OP_VERSION_INCOMPATIBLE, PROTOCOL_UNSUPPORTED ->
                    Status.Code.FAILED_PRECONDITION;
            case LOCK_TIMEOUT, STORE_CONFLICT, TRANSACTION_ABORTED -> Status.Code.ABORTED;
            case NODE_UNREACHABLE, STORE_UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case JOIN_REFUSED -> Status.Code.PERMISSION_DENIED;
            default -> Status.Code.INTERNAL;
        };
    }

    /** The wire form of {@code e}. */
    public static ErrorDetail detail(GdException e) {
        ErrorDetail.Builder b = ErrorDetail.newBuilder()
                .setCode(e.code().number())
                .setCodeName(e.code().name())
                .setMessage(e.getMessage())
                .setRemedy(e.remedy());
        for (NodeError ne : e.nodeErrors()) {
            b.addNodeErrors(NodeErrorDetail.newBuilder()
                    .setNode(ne.node()).setStep(ne.step()).setCode(ne.code().number())
                    .setMessage(ne.message()).setRemedy(ne.remedy()));
        }
        return b.build();
    }

    /** A status exception that carries {@code detail}; what a server answers for a failed call. */
    public static StatusRuntimeException toStatus(ErrorDetail detail) {
        Metadata trailers = new Metadata();
        trailers.put(TRAILER, detail.toByteArray());
        ErrorCode code = ErrorCode.ofNumber(detail.getCode());
        return statusCode(code).toStatus()
                .withDescription(code.name() + ": " + detail.getMessage())
                .asRuntimeException(trailers);
    }

    /** A status exception that carries {@code e}; what a server answers for a failed call. */
    public static StatusRuntimeException toStatus(GdException e) {
        return toStatus(detail(e));
    }

    /** The error detail a failed call carried, if the server was a gd-kit server that sent one. */
    public static Optional<ErrorDetail> detail(Metadata trailers) {
        if (trailers == null) {
            return Optional.empty();
        }
        byte[] bytes = trailers.get(TRAILER);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ErrorDetail.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** Rebuilds the exception a detail describes. */
    public static GdException toException(ErrorDetail d) {
        return new GdException(ErrorCode.ofNumber(d.getCode()), d.getMessage(), d.getRemedy(),
                d.getNodeErrorsList().stream()
                        .map(n -> new NodeError(n.getNode(), n.getStep(), ErrorCode.ofNumber(n.getCode()),
                                n.getMessage(), n.getRemedy()))
                        .toList(),
                null);
    }

    /**
     * The {@link GdException} a failed management call stands for: the one the server sent, or
     * one made from the gRPC status when the failure happened before the server answered.
     */
    public static GdException toException(Throwable t, String target) {
        Status status = Status.fromThrowable(t);
        Optional<ErrorDetail> d = detail(Status.trailersFromThrowable(t));
        if (d.isPresent()) {
            return toException(d.get());
        }
        Optional<String> tls = tlsFailure(t);
        if (tls.isPresent()) {
            return new GdException(ErrorCode.JOIN_REFUSED, "TLS handshake with the management API at " + target
                    + " failed: " + tls.get(), "use a client certificate issued by the cluster's CA and trust that CA",
                    java.util.List.of(), t);
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> new GdException(ErrorCode.NODE_UNREACHABLE,
                    "the management API at " + target + " is unreachable: " + describe(status),
                    "check that the daemon is running, listens on that address, and that its TLS settings match",
                    java.util.List.of(), t);
            case DEADLINE_EXCEEDED -> new GdException(ErrorCode.NODE_UNREACHABLE,
                    "the management API at " + target + " did not answer before the deadline: " + describe(status),
                    "retry; the operation may or may not have been applied, so check its result first",
                    java.util.List.of(), t);
            case UNAUTHENTICATED, PERMISSION_DENIED -> new GdException(ErrorCode.JOIN_REFUSED,
                    "the management API at " + target + " refused the call: " + describe(status),
                    "check the client's credentials", java.util.List.of(), t);
            default -> new GdException(ErrorCode.INTERNAL,
                    "the management API call to " + target + " failed: " + describe(status),
                    "", java.util.List.of(), t);
        };
    }

    /**
     * If {@code t} was caused by a TLS failure, the most specific reason in its cause chain (a
     * trust manager's certificate verdict says what is wrong; TLS libraries' own messages are often
     * generic).
     */
    public static Optional<String> tlsFailure(Throwable t) {
        javax.net.ssl.SSLException tls = null;
        for (Throwable c = t; c != null && tls == null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException s) {
                tls = s;
            }
        }
        if (tls == null) {
            return Optional.empty();
        }
        String reason = tls.getMessage();
        for (Throwable c = tls; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException && c.getMessage() != null) {
                return Optional.of(c.getMessage());
            }
            if (c.getMessage() != null && !c.getMessage().startsWith("General OpenSslEngine problem")) {
                reason = c.getMessage();
            }
        }
        return Optional.of(String.valueOf(reason));
    }

    private static String describe(Status status) {
        String d = status.getDescription();
        Throwable c = status.getCause();
        return status.getCode() + (d == null ? "" : " " + d) + (c == null ? "" : " (" + c + ")");
    }
}
