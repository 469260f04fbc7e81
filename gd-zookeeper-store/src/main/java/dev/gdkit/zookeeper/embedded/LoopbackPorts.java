package dev.gdkit.zookeeper.embedded;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free ports chosen by the kernel: bind port 0, read the port, close. The port is free at that
 * moment; the caller binds it soon after (a lost race shows as a clear bind error).
 */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A port the kernel considers free on {@code host}. */
    public static int free(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw cannotBind(host, e);
        }
    }

    /** {@code count} distinct free ports on {@code host} (all probed while the others are still bound). */
    public static int[] free(String host, int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(host));
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw cannotBind(host, e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing to do: the port was only probed
                    }
                }
            }
        }
    }

    private static GdException cannotBind(String host, IOException e) {
        return new GdException(ErrorCode.INVALID_ARGUMENT, "cannot bind a free port on '" + host + "': " + e.getMessage(),
                "give an address of this machine, for example 127.0.0.1", java.util.List.of(), e);
    }
}
