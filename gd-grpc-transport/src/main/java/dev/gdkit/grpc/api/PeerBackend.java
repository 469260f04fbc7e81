package dev.gdkit.grpc.api;

import dev.gdkit.api.client.JoinTokenInfo;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Peer;
import java.time.Duration;
import java.util.List;

/**
 * What the management API needs from the engine's membership. Implementations are thread-safe and
 * report failures as {@link dev.gdkit.api.error.GdException}s, which reach the client unchanged.
 */
public interface PeerBackend {
    List<Peer> listPeers();

    /** @throws dev.gdkit.api.error.GdException NOT_FOUND when no such peer */
    Peer getPeer(NodeId id);

    /** Removes a peer from the cluster. */
    void removePeer(NodeId id);

    /** A one-time join token valid for {@code ttl}. */
    JoinTokenInfo createJoinToken(Duration ttl);
}
