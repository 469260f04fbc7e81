package dev.gdkit.volgen.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.volgen.VolfileKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The template of one volfile, held as data. A graph is built bottom-up:
 * <ol>
 *   <li>if {@link #client} is set: one client translator per brick, then per subvolume the
 *       translator of {@link #clusters} for its type (replicate, disperse; a distribute subvolume
 *       passes its clients through), then the {@link #perLeaf} positions over each of those, then
 *       {@link #join} over all of them when present;</li>
 *   <li>then each {@link #chain} position whose conditions hold, each over the previous one (the
 *       first one over everything built so far).</li>
 * </ol>
 * Brick templates ({@link VolfileKind#BRICK}) are built once per brick. Instances are immutable;
 * the {@code with...} methods return changed copies, which is how plugins change a graph without
 * touching the built-in templates.
 *
 * @param name the template's name ({@code brick}, {@code fuse}, ...)
 * @param kind the kind of volfile it produces
 * @param fileName the file name pattern ({@code ${volume.name}.tcp-fuse.vol})
 * @param when conditions for the file to exist at all
 * @param client the per-brick client translator, or null for graphs without clients
 * @param clusters per subvolume type ({@code REPLICATE}, {@code DISPERSE}) the cluster translator
 * @param perLeaf positions stacked over each child of {@link #join} (bottom to top; their
 *                {@code subvol.index} is the child's index), for example parallel readdir-ahead
 * @param join the translator over all subvolumes ({@code cluster/distribute}), or null
 * @param chain the linear positions above, bottom to top
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GraphTemplate(String name, VolfileKind kind, String fileName, List<String> when, XlatorTemplate client,
                            Map<String, XlatorTemplate> clusters, List<XlatorTemplate> perLeaf, XlatorTemplate join,
                            List<XlatorTemplate> chain) {
    public GraphTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fileName, "fileName");
        when = when == null ? List.of() : List.copyOf(when);
        clusters = clusters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
        perLeaf = perLeaf == null ? List.of() : List.copyOf(perLeaf);
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    /** The index of a chain position; throws naming the template when absent. */
    public int indexOf(String id) {
        for (int i = 0; i < chain.size(); i++) {
            if (id.equals(chain.get(i).id())) {
                return i;
            }
        }
        throw GdException.invalid("template '" + name + "' has no translator position '" + id + "'",
                "use one of " + chain.stream().map(XlatorTemplate::id).toList());
    }

    /** A copy with a translator inserted directly above position {@code belowId}. */
    public GraphTemplate withInsertedAbove(String belowId, XlatorTemplate xlator) {
        return insertAt(indexOf(belowId) + 1, xlator);
    }

    /** A copy with a translator inserted directly below position {@code aboveId}. */
    public GraphTemplate withInsertedBelow(String aboveId, XlatorTemplate xlator) {
        return insertAt(indexOf(aboveId), xlator);
    }

    /** A copy without position {@code id}. */
    public GraphTemplate without(String id) {
        List<XlatorTemplate> c = new ArrayList<>(chain);
        c.remove(indexOf(id));
        return withChain(c);
    }

    /** A copy with position {@code id} moved directly above position {@code belowId}. */
    public GraphTemplate withMovedAbove(String id, String belowId) {
        XlatorTemplate x = chain.get(indexOf(id));
        return without(id).withInsertedAbove(belowId, x);
    }

    /** A copy where position {@code id} also writes these options (as defaults the volume may override). */
    public GraphTemplate withOptions(String id, Map<String, String> options) {
        List<XlatorTemplate> c = new ArrayList<>(chain);
        int i = indexOf(id);
        c.set(i, c.get(i).withOptions(options));
        return withChain(c);
    }

    /** A copy with another client translator (for example with more options). */
    public GraphTemplate withClient(XlatorTemplate newClient) {
        return new GraphTemplate(name, kind, fileName, when, newClient, clusters, perLeaf, join, chain);
    }

    public GraphTemplate withChain(List<XlatorTemplate> newChain) {
        return new GraphTemplate(name, kind, fileName, when, client, clusters, perLeaf, join, newChain);
    }

    private GraphTemplate insertAt(int index, XlatorTemplate xlator) {
        Objects.requireNonNull(xlator.id(), "id of the inserted translator");
        Objects.requireNonNull(xlator.type(), "type of the inserted translator");
        if (chain.stream().anyMatch(x -> x.id().equals(xlator.id()))) {
            throw GdException.invalid("template '" + name + "' already has a translator position '" + xlator.id() + "'",
                    "give the new translator a unique id");
        }
        List<XlatorTemplate> c = new ArrayList<>(chain);
        c.add(index, xlator);
        return withChain(c);
    }
}
