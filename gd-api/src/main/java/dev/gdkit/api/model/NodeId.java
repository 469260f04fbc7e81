package dev.gdkit.api.model;

import dev.gdkit.api.error.GdException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A node's identity in the cluster: letters, digits, '.', '_' and '-', 1 to 64 characters.
 * Usually a UUID; tests use readable names such as {@code n1}.
 */
public record NodeId(String value) implements Comparable<NodeId> {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public NodeId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw GdException.invalid("invalid node id '" + value + "'",
                    "use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    public static NodeId random() {
        return new NodeId(UUID.randomUUID().toString());
    }

    @Override
    public int compareTo(NodeId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
