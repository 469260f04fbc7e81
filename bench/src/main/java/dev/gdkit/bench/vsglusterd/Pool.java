package dev.gdkit.bench.vsglusterd;

import java.util.List;

/**
 * One management system's pool of N daemons on 127.1.1.1..N, driven the way its users drive it.
 * Every operation returns when the system's API has answered success; a refusal or a failure
 * throws {@link OpFailed} with the system's own message.
 */
interface Pool extends AutoCloseable {
    /** The system's name in the report. */
    String system();

    /** Starts N daemons and waits until each one answers its API. */
    void startDaemons(int nodes) throws Exception;

    /** Adds nodes 2..N to node 1's pool, one after the other, and waits until node 1 sees every peer connected. */
    void formPool() throws Exception;

    /** Creates a distribute volume with one brick on every node, named {@code brick(node)}. */
    void createVolume(String volume, List<String> brickDirs) throws Exception;

    void startVolume(String volume) throws Exception;

    void stopVolume(String volume) throws Exception;

    void deleteVolume(String volume) throws Exception;

    /** A client with its own connection (a gluster CLI process, an HTTP client) for one thread. */
    Client client(int node) throws Exception;

    /**
     * Every volfile of {@code volume} that node {@code node} (1-based) has for its processes and its
     * clients: the files on its disk, and for a system that serves some graphs from its store
     * instead of copying them to every disk, those as the node's API serves them now.
     */
    List<String> volfileTexts(int node, String volume) throws Exception;

    /** The pids of the management daemons (not their bricks), node 1 first. */
    List<Long> daemonPids();

    /** Stops the daemons and every brick they started. */
    @Override
    void close();

    /** One client connection. */
    interface Client extends AutoCloseable {
        void setOption(String volume, String key, String value) throws Exception;

        @Override
        void close();
    }

    /** The system refused or failed an operation. */
    final class OpFailed extends Exception {
        OpFailed(String message) {
            super(message);
        }
    }
}
