package dev.gdkit.grpc.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Small helpers for the gRPC transport tests. */
final class GrpcTestSupport {
    private GrpcTestSupport() {
    }

    /** A loopback address whose port the kernel just handed out and that nothing listens on now. */
    static String unusedLoopbackAddress() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
