package dev.gdkit.volgen.graph;

/**
 * Writes a {@link Graph} as GlusterFS volfile text: one block per translator in graph order,
 * four-space indented {@code type}, {@code option} and {@code subvolumes} lines, a blank line
 * between blocks. Every word is checked with {@link VolfileSyntax} first, so no name or value can
 * change the structure of the file. Stateless and thread-safe.
 */
public final class VolfileWriter {

    /** Renders the graph. @throws dev.gdkit.api.error.GdException if a word is not writable */
    public String write(Graph graph) {
        StringBuilder sb = new StringBuilder(size(graph));
        boolean first = true;
        for (Xlator x : graph.xlators()) {
            if (!first) {
                sb.append('\n');
            }
            first = false;
            check(x.name(), "translator name", "");
            check(x.type(), "type of translator ", x.name());
            sb.append("volume ").append(x.name()).append('\n');
            sb.append("    type ").append(x.type()).append('\n');
            x.options().forEach((k, v) -> {
                check(k, "option key in translator ", x.name());
                if (VolfileSyntax.problem(v) != null) {
                    VolfileSyntax.requireWord(v, "value of option " + k + " in translator " + x.name());
                }
                sb.append("    option ").append(k).append(' ').append(v).append('\n');
            });
            if (!x.subvolumes().isEmpty()) {
                sb.append("    subvolumes");
                for (String s : x.subvolumes()) {
                    check(s, "subvolume of translator ", x.name());
                    sb.append(' ').append(s);
                }
                sb.append('\n');
            }
            sb.append("end-volume\n");
        }
        return sb.toString();
    }

    /** Checks a word; the description is only built when the word is refused. */
    private static void check(String word, String what, String subject) {
        if (VolfileSyntax.problem(word) != null) {
            VolfileSyntax.requireWord(word, what + subject);
        }
    }

    /** The exact length of the text, so the builder never grows or over-allocates. */
    private static int size(Graph graph) {
        int n = 0;
        for (Xlator x : graph.xlators()) {
            n += 7 + x.name().length() + 1 + 9 + x.type().length() + 1 + 11 + 1;
            n += 13 * x.options().size() + ((OrderedOptions) x.options()).charCount();
            if (!x.subvolumes().isEmpty()) {
                n += 15 + 1;
                for (String s : x.subvolumes()) {
                    n += 1 + s.length();
                }
            }
        }
        return n;
    }
}
