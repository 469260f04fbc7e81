package dev.gdkit.core.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A key's value as read from the store.
 *
 * @param key the key, relative to the cluster namespace (for example {@code volumes/vol1})
 * @param value the value's bytes (never null; an implicitly created parent holds zero bytes)
 * @param version the key's data version: 0 when created, plus one for each write; a key deleted
 *                and created again starts at 0 again. Compare-and-set checks this number.
 * @param revision the store-wide revision of the key's last modification; it only grows, across
 *                 all keys of the store, so it orders writes (ZooKeeper's mzxid)
 */
public record Versioned(String key, byte[] value, int version, long revision) {
    public Versioned {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The last segment of the key. */
    public String name() {
        return StoreKeys.name(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Versioned v && v.key.equals(key) && java.util.Arrays.equals(v.value, value)
                && v.version == version && v.revision == revision;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, java.util.Arrays.hashCode(value), version, revision);
    }

    @Override
    public String toString() {
        return "Versioned[" + key + " v" + version + " r" + revision + " " + value.length + " bytes]";
    }
}
