package dev.gdkit.core.store;

import java.util.Objects;

/**
 * A change seen by a watch.
 *
 * @param type what happened
 * @param key the key
 * @param value the new value (empty for deletions)
 * @param version the new version (-1 for deletions)
 * @param revision the store revision of the change when the implementation knows it, else -1
 */
public record StoreEvent(Type type, String key, byte[] value, int version, long revision) {
    public enum Type { CREATED, UPDATED, DELETED }

    public StoreEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        value = value == null ? new byte[0] : value;
    }

    @Override
    public String toString() {
        return type + " " + key + " v" + version;
    }
}
