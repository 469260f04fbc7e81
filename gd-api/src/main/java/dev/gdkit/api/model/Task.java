package dev.gdkit.api.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A long-running, asynchronous task.
 *
 * @param id the task's id
 * @param kind what it does, for example {@code remove-brick}
 * @param target the object it works on, for example a volume name
 * @param state its state
 * @param progress free-form progress counters, per node or overall
 * @param startedAt when it started
 * @param message the last status or error message
 */
public record Task(String id, String kind, String target, TaskState state, Map<String, String> progress,
                   Instant startedAt, String message) {
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
        progress = Map.copyOf(progress);
        Objects.requireNonNull(startedAt, "startedAt");
        message = message == null ? "" : message;
    }
}
