package dev.gdkit.volgen.graph;

import java.util.Map;

/**
 * Writes a {@link Graph} as GlusterFS volfile text: one block per translator in graph order,
 * four-space indented {@code type}, {@code option} and {@code subvolumes} lines, a blank line
 * between blocks. Every word is checked with {@link VolfileSyntax} first, so no name or value can
 * change the structure of the file. Stateless and thread-safe.
 */
public final class VolfileWriter {

    /** Renders the graph. @throws dev.gdkit.api.error.GdException if a word is not writable */
    public String write(Graph graph) {
        StringBuilder sb = new StringBuilder(graph.xlators().size() * 256);
        boolean first = true;
        for (Xlator x : graph.xlators()) {
            if (!first) {
                sb.append('\n');
            }
            first = false;
            VolfileSyntax.requireWord(x.name(), "translator name");
            VolfileSyntax.requireWord(x.type(), "type of translator " + x.name());
            sb.append("volume ").append(x.name()).append('\n');
            sb.append("    type ").append(x.type()).append('\n');
            for (Map.Entry<String, String> o : x.options().entrySet()) {
                VolfileSyntax.requireWord(o.getKey(), "option key in translator " + x.name());
                VolfileSyntax.requireWord(o.getValue(), "value of option " + o.getKey() + " in translator " + x.name());
                sb.append("    option ").append(o.getKey()).append(' ').append(o.getValue()).append('\n');
            }
            if (!x.subvolumes().isEmpty()) {
                sb.append("    subvolumes");
                for (String s : x.subvolumes()) {
                    VolfileSyntax.requireWord(s, "subvolume of translator " + x.name());
                    sb.append(' ').append(s);
                }
                sb.append('\n');
            }
            sb.append("end-volume\n");
        }
        return sb.toString();
    }
}
