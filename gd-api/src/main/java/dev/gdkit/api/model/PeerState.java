package dev.gdkit.api.model;

/** A peer's membership state as every node sees it. */
public enum PeerState {
    /** A member whose store session is alive. */
    CONNECTED,
    /** A member whose store session was lost; it may come back. */
    UNREACHABLE,
    /** A node that was removed from the cluster; it can no longer run steps. */
    LEFT
}
