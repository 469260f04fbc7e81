package dev.gdkit.grpc.api;

import java.util.Objects;

/** Everything the management API server is implemented against; the engine's services plug in here. */
public record ManagementBackend(PeerBackend peers, VolumeBackend volumes, OptionBackend options,
                                OpVersionBackend opVersion, EventSource events) {
    public ManagementBackend {
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(volumes, "volumes");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(opVersion, "opVersion");
        Objects.requireNonNull(events, "events");
    }
}
