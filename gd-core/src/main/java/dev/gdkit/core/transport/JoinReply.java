package dev.gdkit.core.transport;

import dev.gdkit.api.model.OpVersion;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster's acknowledgement of a join: the joiner raises its current op-version to
 * {@code clusterOpVersion} (never lowering it) and connects to the store described in
 * {@code attributes}.
 *
 * @param clusterId the cluster's id
 * @param clusterOpVersion the cluster's op-version
 * @param protocolVersion the protocol version the cluster speaks
 * @param attributes extras (store connect string, signed certificate, CA chain ...)
 */
public record JoinReply(String clusterId, OpVersion clusterOpVersion, int protocolVersion,
                        Map<String, String> attributes) {
    public JoinReply {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(clusterOpVersion, "clusterOpVersion");
        attributes = Map.copyOf(attributes);
    }
}
