package dev.gdkit.grpc.transport;

import dev.gdkit.api.error.GdException;

/** Checks and formats of the {@code host:port} a gd-kit gRPC server listens on. */
public final class ListenAddress {
    private ListenAddress() {
    }

    /** {@code host} if it is usable as a listen host. */
    public static String host(String host) {
        if (host == null || host.isBlank()) {
            throw GdException.invalid("listen host is empty", "give a host name or IP address, e.g. 127.0.0.1");
        }
        return host;
    }

    /** {@code port} if it is 0 (kernel chooses) to 65535. */
    public static int port(int port) {
        if (port < 0 || port > 65535) {
            throw GdException.invalid("port " + port + " is out of range", "give 0 to 65535 (0: kernel chooses)");
        }
        return port;
    }

    /** {@code host:port}, with IPv6 hosts in brackets. */
    public static String format(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
