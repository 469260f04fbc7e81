package dev.gdkit.testkit.contract;

/**
 * A store outage a ClusterStore implementation can inject for {@link ClusterStoreContract}: while
 * it lasts, no client can reach the store; after {@link #end()} the same store (same data) is
 * reachable again.
 */
public interface ClusterStoreOutage {
    /** Makes the store unreachable. */
    void begin();

    /** Makes it reachable again. */
    void end();
}
