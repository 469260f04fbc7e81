package dev.gdkit.core.volgen;

/** The kinds of volfile glusterd writes for a volume, with the file name pattern of each. */
public enum VolfileKind {
    /** One per brick: {@code VOL.HOST.PATH-WITH-DASHES.vol}, used by that brick's glusterfsd. */
    BRICK,
    /** The FUSE client graph without credentials: {@code VOL.tcp-fuse.vol}. */
    CLIENT,
    /** The client graph with credentials, for daemons on trusted nodes: {@code trusted-VOL.tcp-fuse.vol}. */
    TRUSTED_CLIENT,
    /** The gfproxy daemon's graph: {@code VOL.gfproxyd.vol}. */
    GFPROXYD,
    /** The client that talks to a gfproxy daemon: {@code trusted-VOL.tcp-gfproxy-fuse.vol}. */
    GFPROXY_CLIENT,
    /** The self-heal daemon's graph (replicate and disperse volumes only): {@code VOL-shd.vol}. */
    SELF_HEAL,
    /** The rebalance process's graph (only with more than one distribute leaf): {@code VOL-rebalance.vol}. */
    REBALANCE
}
