package dev.gdkit.zookeeper.ensemble;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Since when each node has been seen without its liveness key, as the driving node observed it.
 * A node is gone for good once it has been absent for the grace period without a break. The
 * observation starts when a node starts driving: a new driver waits a whole grace period again.
 */
final class Absences {
    private final Duration grace;
    private final Map<String, Instant> since = new HashMap<>();

    Absences(Duration grace) {
        this.grace = grace;
    }

    void observe(Set<String> nodes, Set<String> alive, Instant now) {
        since.keySet().retainAll(nodes);
        for (String n : nodes) {
            if (alive.contains(n)) {
                since.remove(n);
            } else {
                since.putIfAbsent(n, now);
            }
        }
    }

    boolean goneForGood(String node, Instant now) {
        Instant s = since.get(node);
        return s != null && !now.isBefore(s.plus(grace));
    }

    void reset() {
        since.clear();
    }
}
