package dev.gdkit.api.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in the cluster, as published on the event stream.
 *
 * @param id the event's id
 * @param name the event name, for example {@code volume-created}
 * @param data details (volume name, peer id, ...)
 * @param origin the node where it happened
 * @param timestamp when it happened
 */
public record Event(String id, String name, Map<String, String> data, NodeId origin, Instant timestamp) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        data = Map.copyOf(data);
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
