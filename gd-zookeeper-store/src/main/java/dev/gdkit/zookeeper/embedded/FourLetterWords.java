package dev.gdkit.zookeeper.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** ZooKeeper's four-letter-word commands on a client port (the server must allow them). */
public final class FourLetterWords {
    private FourLetterWords() {
    }

    /**
     * The server's role as {@code srvr} reports it ({@code standalone}, {@code leader},
     * {@code follower}, {@code observer}); empty when it does not answer or does not serve.
     */
    public static Optional<String> mode(String host, int port) {
        return ask(host, port, "srvr").flatMap(reply -> {
            for (String line : reply.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return Optional.of(line.substring("Mode: ".length()).trim());
                }
            }
            return Optional.empty();
        });
    }

    /** Sends a four-letter word and returns the whole reply; empty when the server does not answer. */
    public static Optional<String> ask(String host, int port, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
