package dev.gdkit.zookeeper.ensemble;

/** A node's part in the pool's ZooKeeper ensemble, as the ensemble controller records it. */
public enum EnsembleRole {
    /** Registered; the driving node has not planned for it yet. */
    JOINING,
    /** A client of the ensemble only: no server of its own. */
    CLIENT,
    /** Chosen to become a voter: it starts its server, which follows the ensemble until it is added. */
    CANDIDATE,
    /** A voter: its server is in the ensemble's configuration. */
    VOTER
}
