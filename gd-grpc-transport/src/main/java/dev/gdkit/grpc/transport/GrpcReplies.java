package dev.gdkit.grpc.transport;

import dev.gdkit.api.client.GrpcErrors;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How gd-kit's gRPC services answer a unary call: the value, or the {@link GdException} the body
 * threw in the {@code gd-error-bin} trailer; any other exception becomes {@code INTERNAL} with its
 * message.
 */
public final class GrpcReplies {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcReplies.class);

    private GrpcReplies() {
    }

    public static <T> void answer(StreamObserver<T> out, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (GdException e) {
            out.onError(GrpcErrors.toStatus(e));
            return;
        } catch (RuntimeException | Error e) {
            LOG.warn("a gRPC call failed unexpectedly", e);
            out.onError(GrpcErrors.toStatus(internal(e)));
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }

    /** The INTERNAL error that stands for an unexpected exception. */
    public static GdException internal(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new GdException(ErrorCode.INTERNAL, msg,
                "see the log of the node that answered (" + e.getClass().getName() + ")", List.of(), null);
    }
}
