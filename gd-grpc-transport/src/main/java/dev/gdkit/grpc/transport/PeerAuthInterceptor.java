package dev.gdkit.grpc.transport;

import dev.gdkit.api.client.GrpcErrors;
import dev.gdkit.api.client.proto.ErrorDetail;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.grpc.transport.wire.NodeGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Enforces mutual TLS per call. The TLS layer asks for a client certificate and refuses one not
 * issued by the cluster CA; this interceptor refuses every call except {@code Join} that comes
 * without one (a joiner has no certificate yet; its Join must carry a valid token). The verified
 * peer certificate is put in the call's {@link Context} under {@link #PEER_CERTIFICATE}.
 */
final class PeerAuthInterceptor implements ServerInterceptor {
    static final Context.Key<X509Certificate> PEER_CERTIFICATE = Context.key("gd-peer-certificate");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        X509Certificate peer = peerCertificate(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        String method = call.getMethodDescriptor().getFullMethodName();
        if (peer == null && !method.equals(NodeGrpc.getJoinMethod().getFullMethodName())) {
            ErrorDetail d = ErrorDetail.newBuilder().setCode(ErrorCode.JOIN_REFUSED.number())
                    .setCodeName(ErrorCode.JOIN_REFUSED.name())
                    .setMessage("call " + method + " refused: the caller presented no client certificate issued by this "
                            + "cluster's CA; every node-to-node call except Join needs mutual TLS with one")
                    .setRemedy("join the cluster with a join token first; the node then gets its certificate")
                    .setTransportFailure(true).setOutcomeUnknown(false).build();
            Metadata trailers = new Metadata();
            trailers.put(GrpcErrors.TRAILER, d.toByteArray());
            call.close(Status.UNAUTHENTICATED.withDescription(d.getMessage()), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current().withValue(PEER_CERTIFICATE, peer), call, headers, next);
    }

    private static X509Certificate peerCertificate(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] certs = session.getPeerCertificates();
            return certs.length > 0 && certs[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
