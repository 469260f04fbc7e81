package dev.gdkit.grpc.api;

import dev.gdkit.api.client.ClusterOpVersion;
import dev.gdkit.api.model.OpVersion;

/** What the management API needs from the op-version service. Thread-safe; failures are GdExceptions. */
public interface OpVersionBackend {
    ClusterOpVersion getOpVersion();

    /** Raises the cluster's op-version; returns the new state. */
    ClusterOpVersion setOpVersion(OpVersion version);
}
