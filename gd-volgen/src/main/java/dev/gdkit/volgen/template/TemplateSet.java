package dev.gdkit.volgen.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gdkit.api.error.GdException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of graph templates. {@link #builtin()} reads gd-volgen's templates from the
 * {@code templates.json} resource; {@link #with(TemplatePlugin)} returns a changed copy. Immutable
 * and thread-safe.
 *
 * <p>Resource format: {@code xlators} holds shared translator definitions by id; a position with
 * {@code "ref": ID} extends one (its own fields win, option maps merge). A graph with
 * {@code "extends": NAME} takes every field it does not set from the named graph.
 */
public final class TemplateSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<GraphTemplate> graphs;

    public TemplateSet(List<GraphTemplate> graphs) {
        this.graphs = List.copyOf(graphs);
    }

    /** The built-in GlusterFS 10 templates. */
    public static TemplateSet builtin() {
        try (InputStream in = TemplateSet.class.getResourceAsStream("/dev/gdkit/volgen/templates.json")) {
            if (in == null) {
                throw new IllegalStateException("resource /dev/gdkit/volgen/templates.json is missing from the gd-volgen jar");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads templates in the resource format. @throws GdException for a dangling ref or extends */
    public static TemplateSet read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        Map<String, JsonNode> shared = new LinkedHashMap<>();
        root.path("xlators").fields().forEachRemaining(e -> shared.put(e.getKey(), e.getValue()));
        Map<String, ObjectNode> rawGraphs = new LinkedHashMap<>();
        for (JsonNode g : root.path("graphs")) {
            ObjectNode node = ((ObjectNode) g).deepCopy();
            if (node.has("extends")) {
                ObjectNode base = rawGraphs.get(node.get("extends").asText());
                if (base == null) {
                    throw bad("graph '" + node.path("name").asText() + "' extends unknown graph '"
                            + node.get("extends").asText() + "'");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = base.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (!node.has(f.getKey())) {
                        node.set(f.getKey(), f.getValue());
                    }
                }
                node.remove("extends");
            }
            rawGraphs.put(node.path("name").asText(), node);
        }
        List<GraphTemplate> out = new ArrayList<>();
        for (ObjectNode g : rawGraphs.values()) {
            GraphTemplate t = JSON.treeToValue(g, GraphTemplate.class);
            Map<String, XlatorTemplate> clusters = new LinkedHashMap<>();
            t.clusters().forEach((k, v) -> clusters.put(k, resolve(v, shared)));
            List<XlatorTemplate> chain = t.chain().stream().map(x -> resolve(x, shared)).toList();
            out.add(new GraphTemplate(t.name(), t.kind(), t.fileName(), t.when(),
                    t.client() == null ? null : resolve(t.client(), shared), clusters,
                    t.perLeaf().stream().map(x -> resolve(x, shared)).toList(),
                    t.join() == null ? null : resolve(t.join(), shared), chain));
        }
        return new TemplateSet(out);
    }

    private static XlatorTemplate resolve(XlatorTemplate x, Map<String, JsonNode> shared) {
        XlatorTemplate cur = x;
        int depth = 0;
        while (cur.ref() != null) {
            JsonNode base = shared.get(cur.ref());
            if (base == null || ++depth > 8) {
                throw bad("translator position refers to unknown or circular shared definition '" + cur.ref() + "'");
            }
            try {
                XlatorTemplate b = JSON.treeToValue(base, XlatorTemplate.class);
                String id = cur.id() != null ? cur.id() : b.id() != null ? b.id() : cur.ref();
                XlatorTemplate merged = cur.over(b);
                cur = new XlatorTemplate(id, b.ref(), merged.type(), merged.name(), merged.when(), merged.options(),
                        merged.fixed(), merged.mapOptions());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (cur.id() == null || cur.type() == null) {
            throw bad("a translator position has no id or no type: " + cur);
        }
        return cur;
    }

    private static GdException bad(String what) {
        return GdException.invalid("invalid volgen templates: " + what,
                "fix the template data; each position needs an id and a type, refs must name shared definitions");
    }

    public List<GraphTemplate> graphs() {
        return graphs;
    }

    /** The template of that name. @throws GdException when absent */
    public GraphTemplate graph(String name) {
        return graphs.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow(() ->
                GdException.invalid("no graph template named '" + name + "'",
                        "use one of " + graphs.stream().map(GraphTemplate::name).toList()));
    }

    /** A copy with every template passed through the plugin. */
    public TemplateSet with(TemplatePlugin plugin) {
        return new TemplateSet(graphs.stream().map(plugin::apply).toList());
    }

    /** A copy with one more template (for example a new daemon's graph). */
    public TemplateSet plus(GraphTemplate template) {
        if (graphs.stream().anyMatch(g -> g.name().equals(template.name()))) {
            throw GdException.invalid("a graph template named '" + template.name() + "' already exists",
                    "give the new template a unique name or change the existing one with a plugin");
        }
        List<GraphTemplate> g = new ArrayList<>(graphs);
        g.add(template);
        return new TemplateSet(g);
    }
}
