package dev.gdkit.core.transport;

import dev.gdkit.api.model.NodeId;
import java.util.Map;
import java.util.Objects;

/**
 * A one-way message between nodes (reload a daemon, an event, a hint to re-read the store).
 * Delivery is at most once; nothing depends on it for correctness.
 */
public record Notification(String topic, NodeId from, Map<String, String> data) {
    public Notification {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(from, "from");
        data = Map.copyOf(data);
    }
}
