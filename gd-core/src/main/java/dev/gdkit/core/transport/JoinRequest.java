package dev.gdkit.core.transport;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The first message of the join handshake, from a node that wants to join to a member.
 *
 * @param joiner the joining node's id
 * @param name its human name
 * @param addresses where the cluster can reach it
 * @param protocolVersion the node-to-node protocol version it speaks
 * @param minOpVersion the lowest op-version it can run
 * @param maxOpVersion the highest op-version it can run
 * @param currentOpVersion the op-version it runs now
 * @param token the one-time join token, when the cluster requires one ("" otherwise)
 * @param attributes transport-specific extras (for example a certificate signing request)
 */
public record JoinRequest(NodeId joiner, String name, List<String> addresses, int protocolVersion,
                          OpVersion minOpVersion, OpVersion maxOpVersion, OpVersion currentOpVersion, String token,
                          Map<String, String> attributes) {
    public JoinRequest {
        Objects.requireNonNull(joiner, "joiner");
        name = name == null ? joiner.value() : name;
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(minOpVersion, "minOpVersion");
        Objects.requireNonNull(maxOpVersion, "maxOpVersion");
        Objects.requireNonNull(currentOpVersion, "currentOpVersion");
        token = token == null ? "" : token;
        attributes = Map.copyOf(attributes);
    }
}
