package dev.gdkit.testkit.cluster;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A simulated node's local state (its "disk"): what steps change on the node itself, such as brick
 * directories or volfiles. It survives a crash and restart of the node, like a real disk.
 */
public final class NodeDisk {
    private final ConcurrentSkipListMap<String, String> entries = new ConcurrentSkipListMap<>();

    public void put(String key, String value) {
        entries.put(key, value);
    }

    public boolean remove(String key) {
        return entries.remove(key) != null;
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    public String get(String key) {
        return entries.get(key);
    }

    /** A sorted copy of everything on the disk. */
    public NavigableMap<String, String> snapshot() {
        return new TreeMap<>(entries);
    }

    /** Entries whose key starts with {@code prefix}. */
    public Map<String, String> under(String prefix) {
        return new TreeMap<>(entries.subMap(prefix, prefix + Character.MAX_VALUE));
    }
}
