package dev.gdkit.volgen.graph;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One translator of a volfile graph.
 *
 * @param name its unique name in the graph
 * @param type its type, {@code category/name} ({@code cluster/replicate})
 * @param options its options in order (keys unique)
 * @param subvolumes the names of its children, in order
 */
public record Xlator(String name, String type, Map<String, String> options, List<String> subvolumes) {
    public Xlator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        options = OrderedOptions.copyOf(options);
        subvolumes = List.copyOf(subvolumes);
    }

    /** Whether two translators hold the same name, type, subvolumes and option set, ignoring option order. */
    public boolean sameAs(Xlator other) {
        return name.equals(other.name) && type.equals(other.type) && subvolumes.equals(other.subvolumes)
                && options.equals(other.options);
    }
}
