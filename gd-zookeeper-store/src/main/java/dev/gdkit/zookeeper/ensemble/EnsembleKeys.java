package dev.gdkit.zookeeper.ensemble;

/**
 * Where the ensemble controller keeps its records in the cluster store: one small key per node
 * and per server id, so nothing grows with the pool inside one key.
 *
 * <pre>
 * PREFIX/nodes/NODE     EnsembleNode (JSON)
 * PREFIX/ids/SERVERID   the node holding the server id (claimed in the same commit as the record)
 * PREFIX/alive/NODE     ephemeral: the node's controller is connected
 * PREFIX/sequence       the last join sequence number handed out
 * </pre>
 */
record EnsembleKeys(String prefix) {
    static final String ELECTION = "ensemble-driver";

    String nodes() {
        return prefix + "/nodes";
    }

    String node(String nodeId) {
        return nodes() + "/" + nodeId;
    }

    String ids() {
        return prefix + "/ids";
    }

    String id(int serverId) {
        return ids() + "/" + serverId;
    }

    String alive() {
        return prefix + "/alive";
    }

    String alive(String nodeId) {
        return alive() + "/" + nodeId;
    }

    String sequence() {
        return prefix + "/sequence";
    }
}
