package dev.gdkit.core.membership;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gdkit.api.model.PeerState;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A member as stored at {@code peers/<id>}: one small object per peer.
 *
 * @param id the node id
 * @param name a human name
 * @param addresses transport addresses, first preferred
 * @param minOpVersion the lowest op-version it runs
 * @param maxOpVersion the highest op-version it runs
 * @param currentOpVersion the op-version it runs now
 * @param steps the step names it has registered
 * @param state CONNECTED for a member, LEFT for a removed one (UNREACHABLE is computed from liveness)
 */
public record PeerRecord(String id, String name, List<String> addresses, int minOpVersion, int maxOpVersion,
                         int currentOpVersion, SortedSet<String> steps, PeerState state) {
    @JsonCreator
    public PeerRecord(@JsonProperty("id") String id, @JsonProperty("name") String name,
                      @JsonProperty("addresses") List<String> addresses, @JsonProperty("minOpVersion") int minOpVersion,
                      @JsonProperty("maxOpVersion") int maxOpVersion, @JsonProperty("currentOpVersion") int currentOpVersion,
                      @JsonProperty("steps") SortedSet<String> steps, @JsonProperty("state") PeerState state) {
        this.id = Objects.requireNonNull(id, "id");
        this.name = name == null ? id : name;
        this.addresses = addresses == null ? List.of() : List.copyOf(addresses);
        this.minOpVersion = minOpVersion;
        this.maxOpVersion = maxOpVersion;
        this.currentOpVersion = currentOpVersion;
        this.steps = steps == null ? new TreeSet<>() : new TreeSet<>(steps);
        this.state = state == null ? PeerState.CONNECTED : state;
    }

    public PeerRecord withState(PeerState s) {
        return new PeerRecord(id, name, addresses, minOpVersion, maxOpVersion, currentOpVersion, steps, s);
    }
}
