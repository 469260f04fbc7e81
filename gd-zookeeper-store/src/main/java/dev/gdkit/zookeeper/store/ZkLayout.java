package dev.gdkit.zookeeper.store;

/**
 * Where a cluster's data lives in ZooKeeper. Everything of one cluster is under
 * {@code /<root>/<namespace>}, which is also the Curator namespace of its client:
 * <pre>
 * /&lt;root&gt;/&lt;namespace&gt;/kv/&lt;key&gt;          store keys (one znode per key, parents are znodes too)
 * /&lt;root&gt;/&lt;namespace&gt;/locks/&lt;name&gt;/...  lock recipes (Curator InterProcessSemaphoreMutex)
 * /&lt;root&gt;/&lt;namespace&gt;/elections/&lt;name&gt;/... leader elections (Curator LeaderLatch)
 * </pre>
 */
record ZkLayout(String root, String namespace) {
    static final String KV = "/kv";
    static final String LOCKS = "/locks";
    static final String ELECTIONS = "/elections";

    /** The Curator namespace (no leading slash). */
    String curatorNamespace() {
        return root + "/" + namespace;
    }

    /** The absolute path of the cluster's root znode. */
    String clusterPath() {
        return "/" + root + "/" + namespace;
    }

    /** The absolute path of the shared root znode that holds every cluster. */
    String rootPath() {
        return "/" + root;
    }

    /** The absolute ZooKeeper path of a store key. */
    String kvPath(String key) {
        return clusterPath() + KV + "/" + key;
    }

    /** The absolute path of the key space's base. */
    String kvBase() {
        return clusterPath() + KV;
    }

    /** A path relative to the Curator namespace for a store key. */
    String kvRelative(String key) {
        return KV + "/" + key;
    }

    /** The store key of a path relative to the Curator namespace, or null when outside the key space. */
    String keyOfRelative(String relativePath) {
        String prefix = KV + "/";
        return relativePath.startsWith(prefix) ? relativePath.substring(prefix.length()) : null;
    }
}
