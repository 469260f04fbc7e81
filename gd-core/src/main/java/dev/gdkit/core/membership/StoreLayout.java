package dev.gdkit.core.membership;

/**
 * Where gd-core keeps things in the cluster namespace. One small key per object; nothing here grows
 * with the number of peers, volumes or transactions inside a single key.
 */
public final class StoreLayout {
    /** {@code cluster/info}: the cluster id and op-version. */
    public static final String CLUSTER_INFO = "cluster/info";
    /** {@code peers/<id>}: {@link PeerRecord}. */
    public static final String PEERS = "peers";
    /** {@code alive/<id>}: ephemeral, exists while the node's store session lives. */
    public static final String ALIVE = "alive";
    /** {@code locks/<object>}: the id of the transaction holding the object. */
    public static final String LOCKS = "locks";
    /** {@code txns/<id>}: a transaction's journal. */
    public static final String TXNS = "txns";

    private StoreLayout() {
    }

    public static String peer(String id) {
        return PEERS + "/" + id;
    }

    public static String alive(String id) {
        return ALIVE + "/" + id;
    }

    public static String lock(String object) {
        return LOCKS + "/" + object;
    }

    public static String txn(String id) {
        return TXNS + "/" + id;
    }
}
