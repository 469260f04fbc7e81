package dev.gdkit.core.transport.inprocess;

import dev.gdkit.api.error.GdException;
import dev.gdkit.core.concurrent.NamedThreads;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A simulated network for transports in one JVM. Each {@link InProcessTransport} made by
 * {@link #transport(String)} is reachable at {@code inproc://NAME}. Calls run on a shared pool, never
 * on the caller's thread, so they behave like remote calls: asynchronous, with deadlines.
 *
 * <p>Faults between two named endpoints (directional where it says so):
 * <ul>
 *   <li>{@link #partition(String, String)}: no message passes either way; calls fail at once as
 *       unreachable, with the outcome known (nothing ran).</li>
 *   <li>{@link #dropReplies(String, String)}: requests from the first to the second are delivered and
 *       run, but their replies are lost: the caller sees its deadline pass with the outcome unknown.</li>
 *   <li>{@link #delay(String, String, Duration)}: each request from the first to the second waits this
 *       long before it is delivered.</li>
 * </ul>
 * {@link #heal()} removes every fault.
 */
public final class InProcessNetwork implements AutoCloseable {
    static final String SCHEME = "inproc://";

    private final Map<String, InProcessTransport> endpoints = new ConcurrentHashMap<>();
    private final Set<String> partitions = ConcurrentHashMap.newKeySet();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(new NamedThreads("gd-inproc"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("gd-inproc-timer"));

    /** A new transport for endpoint {@code name}; it is reachable once started. */
    public InProcessTransport transport(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw GdException.invalid("invalid in-process endpoint name '" + name + "'", "use letters, digits, '.', '_' or '-'");
        }
        return new InProcessTransport(this, name);
    }

    /** The address of endpoint {@code name}. */
    public static String address(String name) {
        return SCHEME + name;
    }

    public void partition(String a, String b) {
        partitions.add(link(a, b));
        partitions.add(link(b, a));
    }

    /** Cuts {@code node} off from every other endpoint known now. */
    public void isolate(String node) {
        for (String other : endpoints.keySet()) {
            if (!other.equals(node)) {
                partition(node, other);
            }
        }
    }

    public void dropReplies(String from, String to) {
        dropped.add(link(from, to));
    }

    public void delay(String from, String to, Duration d) {
        delays.put(link(from, to), d);
    }

    public void heal() {
        partitions.clear();
        dropped.clear();
        delays.clear();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    // ---- used by InProcessTransport

    void register(String name, InProcessTransport t) {
        if (endpoints.putIfAbsent(name, t) != null) {
            throw new GdException(dev.gdkit.api.error.ErrorCode.ALREADY_EXISTS,
                    "in-process endpoint '" + name + "' is already serving", "close the old transport first or use another name");
        }
    }

    void unregister(String name, InProcessTransport t) {
        endpoints.remove(name, t);
    }

    InProcessTransport endpoint(String name) {
        return endpoints.get(name);
    }

    boolean partitioned(String from, String to) {
        return partitions.contains(link(from, to));
    }

    boolean repliesDropped(String from, String to) {
        return dropped.contains(link(from, to));
    }

    Duration delay(String from, String to) {
        return delays.getOrDefault(link(from, to), Duration.ZERO);
    }

    ExecutorService pool() {
        return pool;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    private static String link(String from, String to) {
        return from + "->" + to;
    }
}
