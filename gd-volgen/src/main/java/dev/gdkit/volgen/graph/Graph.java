package dev.gdkit.volgen.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A volfile graph: its translators in file order (leaves first, the top translator last).
 * Equality is exact (order of translators and options included); use {@link #sameAs} for the
 * order-insensitive comparison GlusterFS's own loader implies.
 */
public record Graph(List<Xlator> xlators) {
    public Graph {
        xlators = List.copyOf(xlators);
    }

    /** The top translator (the last one), the one the process attaches to. */
    public Xlator top() {
        if (xlators.isEmpty()) {
            throw new IllegalStateException("empty graph");
        }
        return xlators.get(xlators.size() - 1);
    }

    public Optional<Xlator> find(String name) {
        return xlators.stream().filter(x -> x.name().equals(name)).findFirst();
    }

    /**
     * Whether both graphs hold the same translators by name, each with the same type, ordered
     * subvolumes and option keys and values; translator order in the file and option order do not
     * matter.
     */
    public boolean sameAs(Graph other) {
        return differences(other).isEmpty();
    }

    /** Human-readable differences against another graph (empty when {@link #sameAs}). */
    public List<String> differences(Graph other) {
        Map<String, Xlator> mine = index(this);
        Map<String, Xlator> theirs = index(other);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (Xlator x : xlators) {
            Xlator o = theirs.get(x.name());
            if (o == null) {
                out.add("extra translator " + x.name() + " (" + x.type() + ")");
            } else if (!x.sameAs(o)) {
                out.add(describe(x, o));
            }
        }
        for (Xlator o : other.xlators) {
            if (!mine.containsKey(o.name())) {
                out.add("missing translator " + o.name() + " (" + o.type() + ")");
            }
        }
        return out;
    }

    private static String describe(Xlator x, Xlator o) {
        StringBuilder sb = new StringBuilder("translator " + x.name() + ":");
        if (!x.type().equals(o.type())) {
            sb.append(" type ").append(x.type()).append(" != ").append(o.type());
        }
        if (!x.subvolumes().equals(o.subvolumes())) {
            sb.append(" subvolumes ").append(x.subvolumes()).append(" != ").append(o.subvolumes());
        }
        x.options().forEach((k, v) -> {
            String ov = o.options().get(k);
            if (!v.equals(ov)) {
                sb.append(" option ").append(k).append('=').append(v).append(" != ").append(ov);
            }
        });
        o.options().forEach((k, v) -> {
            if (!x.options().containsKey(k)) {
                sb.append(" missing option ").append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    private static Map<String, Xlator> index(Graph g) {
        Map<String, Xlator> m = new HashMap<>();
        g.xlators.forEach(x -> m.put(x.name(), x));
        return m;
    }
}
