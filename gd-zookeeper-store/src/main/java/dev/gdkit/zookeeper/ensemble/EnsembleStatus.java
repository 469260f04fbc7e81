package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.zookeeper.embedded.EnsembleConfig;
import java.util.Optional;

/**
 * What one node's ensemble controller last saw.
 *
 * @param nodeId the node
 * @param record its record in the store (empty before it registered, or after it was removed)
 * @param config the ensemble's configuration as last read
 * @param serverRunning whether the node's own server runs
 * @param driving whether this node drives the ensemble's reconfigurations now
 * @param removed whether the node was removed from the pool (its controller does nothing more)
 */
public record EnsembleStatus(String nodeId, Optional<EnsembleNode> record, Optional<EnsembleConfig> config, boolean serverRunning,
                             boolean driving, boolean removed) {

    /** The node's role; JOINING while it has no record. */
    public EnsembleRole role() {
        return record.map(EnsembleNode::role).orElse(EnsembleRole.JOINING);
    }

    /** Whether the driver has placed the node and any promotion is done: a client, or a voter whose server runs. */
    public boolean settled() {
        return removed || role() == EnsembleRole.CLIENT || (role() == EnsembleRole.VOTER && serverRunning);
    }
}
