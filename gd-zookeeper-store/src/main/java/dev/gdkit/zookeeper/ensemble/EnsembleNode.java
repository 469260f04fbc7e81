package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;

/**
 * One pool node as the ensemble controller keeps it in the store ({@code <prefix>/nodes/<nodeId>},
 * one small record per node).
 *
 * @param nodeId the pool's id for the node
 * @param serverId its ZooKeeper server id (1-254, unique among the pool's current nodes)
 * @param joinSeq its place in the join order (increasing, never reused)
 * @param host the address its server binds and clients use
 * @param clientPort its server's client port
 * @param quorumPort its server's quorum port
 * @param electionPort its server's leader election port
 * @param role its part in the ensemble
 * @param removed whether it was removed from the pool (its server is then taken out and the record deleted)
 */
public record EnsembleNode(String nodeId, int serverId, long joinSeq, String host, int clientPort, int quorumPort, int electionPort,
                           EnsembleRole role, boolean removed) {

    /** The node's server as an ensemble member. */
    public Member member() {
        return new Member(serverId, host, clientPort, quorumPort, electionPort);
    }

    public EnsembleNode withRole(EnsembleRole r) {
        return new EnsembleNode(nodeId, serverId, joinSeq, host, clientPort, quorumPort, electionPort, r, removed);
    }

    public EnsembleNode asRemoved() {
        return new EnsembleNode(nodeId, serverId, joinSeq, host, clientPort, quorumPort, electionPort, role, true);
    }
}
