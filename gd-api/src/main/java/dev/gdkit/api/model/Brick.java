package dev.gdkit.api.model;

import dev.gdkit.api.error.GdException;
import java.util.Objects;

/**
 * A brick: a directory on one node that stores part of a volume.
 *
 * @param id the brick's id (a UUID string)
 * @param node the node that hosts it
 * @param host the host name or address clients use to reach the node
 * @param path the absolute path of the brick directory
 * @param type data brick or arbiter
 */
public record Brick(String id, NodeId node, String host, String path, BrickType type) {
    public Brick {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(type, "type");
        if (path == null || !path.startsWith("/")) {
            throw GdException.invalid("brick path '" + path + "' on " + host + " is not absolute",
                    "give the brick as HOST:/absolute/path");
        }
    }

    /** The brick as {@code host:/path}, the way GlusterFS names it. */
    public String endpoint() {
        return host + ":" + path;
    }
}
