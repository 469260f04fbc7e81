package dev.gdkit.examples.gdd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in for glusterfsd where GlusterFS is not installed (gdd --simulate-bricks): it listens on
 * the brick's port and accepts and closes connections until killed. It serves no data; gdd and the
 * demo say so wherever it is used.
 */
public final class SimulatedBrick {
    private SimulatedBrick() {
    }

    /** {@code SimulatedBrick HOST PORT BRICK-PATH}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: SimulatedBrick HOST PORT BRICK-PATH");
            System.exit(2);
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
            System.out.println("simulated brick " + args[2] + " listening on " + args[0] + ":" + args[1]);
            while (true) {
                try (Socket c = s.accept()) {
                    c.getInetAddress();
                }
            }
        }
    }
}
