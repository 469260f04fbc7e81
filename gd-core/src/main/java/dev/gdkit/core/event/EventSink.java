package dev.gdkit.core.event;

import dev.gdkit.api.model.Event;

/**
 * Where a node publishes events (peer-added, volume-created, brick-died, ...). Implementations are
 * thread-safe and must not block the caller for long: the engine publishes from its own threads.
 * Delivery is at most once; a sink that fails logs and drops the event, it never fails the
 * operation that published it.
 */
@FunctionalInterface
public interface EventSink {
    void publish(Event event);

    /** A sink that drops everything. */
    static EventSink none() {
        return e -> { };
    }
}
