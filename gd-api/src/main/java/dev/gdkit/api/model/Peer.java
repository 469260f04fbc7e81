package dev.gdkit.api.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A member of the trusted pool.
 *
 * @param id the node's id
 * @param name a human name, usually the host name
 * @param addresses the addresses other nodes reach it on, first preferred
 * @param state its membership state
 * @param supported the op-versions it can run
 * @param metadata free-form labels (zone, rack, ...)
 */
public record Peer(NodeId id, String name, List<String> addresses, PeerState state, OpVersionRange supported,
                   Map<String, String> metadata) {
    public Peer {
        Objects.requireNonNull(id, "id");
        name = name == null ? id.value() : name;
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(supported, "supported");
        metadata = Map.copyOf(metadata);
    }

    public Peer withState(PeerState newState) {
        return new Peer(id, name, addresses, newState, supported, metadata);
    }
}
