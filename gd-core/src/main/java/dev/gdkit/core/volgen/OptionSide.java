package dev.gdkit.core.volgen;

/** Which processes an option affects. */
public enum OptionSide {
    /** Client graphs (FUSE, gfapi, gfproxy, self-heal, rebalance); raises the client op-version. */
    CLIENT,
    /** Brick processes only. */
    BRICK,
    /** Translators that run on both sides (for example io-threads). */
    BOTH,
    /** glusterd itself or cluster-wide daemons; no per-volume translator reads it. */
    CLUSTER
}
