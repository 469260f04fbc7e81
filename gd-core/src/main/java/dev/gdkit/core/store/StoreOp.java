package dev.gdkit.core.store;

import java.nio.charset.StandardCharsets;

/**
 * One operation of an atomic {@link ClusterStore#commit(java.util.List)}. Versions are the
 * {@link Versioned#version()} numbers; {@link #ANY_VERSION} skips the check.
 */
public sealed interface StoreOp {
    int ANY_VERSION = -1;

    String key();

    /** Creates the key; the commit fails if it exists. Missing parents are created empty. */
    record Create(String key, byte[] value) implements StoreOp {
    }

    /** Creates the key or overwrites it, whatever its version. */
    record Put(String key, byte[] value) implements StoreOp {
    }

    /** Overwrites the key if its version is {@code expectedVersion}; fails if absent or different. */
    record Update(String key, byte[] value, int expectedVersion) implements StoreOp {
    }

    /**
     * Deletes the key if its version is {@code expectedVersion} (or any version); fails if it is
     * absent, has a different version, or has children.
     */
    record Delete(String key, int expectedVersion) implements StoreOp {
    }

    /** Fails the commit unless the key exists at {@code expectedVersion} (or any version). */
    record Check(String key, int expectedVersion) implements StoreOp {
    }

    /** Fails the commit if the key exists. */
    record CheckAbsent(String key) implements StoreOp {
    }

    static Create create(String key, byte[] value) {
        return new Create(key, value);
    }

    static Create create(String key, String value) {
        return new Create(key, value.getBytes(StandardCharsets.UTF_8));
    }

    static Put put(String key, byte[] value) {
        return new Put(key, value);
    }

    static Put put(String key, String value) {
        return new Put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    static Update update(String key, byte[] value, int expectedVersion) {
        return new Update(key, value, expectedVersion);
    }

    static Delete delete(String key, int expectedVersion) {
        return new Delete(key, expectedVersion);
    }

    static Delete delete(String key) {
        return new Delete(key, ANY_VERSION);
    }

    static Check check(String key, int expectedVersion) {
        return new Check(key, expectedVersion);
    }

    static CheckAbsent checkAbsent(String key) {
        return new CheckAbsent(key);
    }
}
