package dev.gdkit.volgen.template;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.core.volgen.VolfileKind;
import dev.gdkit.volgen.catalog.VolOptEntry;
import dev.gdkit.volgen.graph.Graph;
import dev.gdkit.volgen.graph.Xlator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds graphs from {@link GraphTemplate}s for one {@link VolumeContext}. Option layers per
 * translator, each overriding the one before: the position's {@code options}, then every
 * non-special volume-option map entry whose type is the translator's type and whose op-version the
 * cluster runs at (the explicit value, or the entry's default), then the position's {@code fixed}
 * options. Stateless; thread-safe.
 */
public final class GraphGenerator {

    /** A graph with its file name and, for brick graphs, the brick index. */
    public record Rendered(String fileName, VolfileKind kind, int brickIndex, Graph graph) {
    }

    /** Which graphs to render: a template's kind and, for brick graphs, the brick's index (else -1). */
    @FunctionalInterface
    public interface Wanted {
        boolean test(VolfileKind kind, int brickIndex);
    }

    private static final class Node {
        final String name;
        final XlatorTemplate template;
        final Scope scope;
        final List<String> subvolumes;

        Node(String name, XlatorTemplate template, Scope scope, List<String> subvolumes) {
            this.name = name;
            this.template = template;
            this.scope = scope;
            this.subvolumes = subvolumes;
        }
    }

    /** Every file of the template set for the volume, in template order (brick files per brick). */
    public List<Rendered> render(TemplateSet templates, VolumeContext ctx) {
        return render(templates, ctx, (kind, brick) -> true);
    }

    /** The graphs {@code wanted} selects, each exactly as {@link #render(TemplateSet, VolumeContext)} renders it. */
    public List<Rendered> render(TemplateSet templates, VolumeContext ctx, Wanted wanted) {
        Map<String, List<VolOptEntry>> byType = new HashMap<>();
        Map<VolOptEntry, String> values = new LinkedHashMap<>();
        int clusterOp = ctx.request().clusterOpVersion().value();
        for (Map.Entry<VolOptEntry, String> e : ctx.entryValues()) {
            if (!e.getKey().special() && !e.getValue().isEmpty() && e.getKey().opVersion() <= clusterOp) {
                byType.computeIfAbsent(e.getKey().voltype(), k -> new ArrayList<>()).add(e.getKey());
                values.put(e.getKey(), e.getValue());
            }
        }
        List<Rendered> out = new ArrayList<>();
        Expressions.Cache ex = new Expressions.Cache();
        Scope volumeScope = Scope.ofVolume(ctx);
        for (GraphTemplate t : templates.graphs()) {
            if (t.kind() == VolfileKind.BRICK) {
                for (int i = 0; i < ctx.bricks().size(); i++) {
                    if (!wanted.test(t.kind(), i)) {
                        continue;
                    }
                    Scope bs = volumeScope.withBrick(i);
                    if (allHold(t.when(), bs)) {
                        out.add(new Rendered(ex.expand(t.fileName(), bs), t.kind(), i,
                                build(t, bs, ctx, byType, values, ex)));
                    }
                }
            } else if (wanted.test(t.kind(), -1) && allHold(t.when(), volumeScope)) {
                out.add(new Rendered(ex.expand(t.fileName(), volumeScope), t.kind(), -1,
                        build(t, volumeScope, ctx, byType, values, ex)));
            }
        }
        return out;
    }

    private Graph build(GraphTemplate t, Scope scope, VolumeContext ctx, Map<String, List<VolOptEntry>> byType,
                        Map<VolOptEntry, String> values, Expressions.Cache ex) {
        List<Node> nodes = new ArrayList<>();
        List<String> below = new ArrayList<>();
        if (t.client() != null) {
            List<Subvolume> subvols = ctx.volume().subvolumes();
            int brick = 0;
            for (int s = 0; s < subvols.size(); s++) {
                Subvolume sv = subvols.get(s);
                List<String> clients = new ArrayList<>();
                for (int k = 0; k < sv.bricks().size(); k++, brick++) {
                    Scope bs = scope.withBrick(brick);
                    if (allHold(t.client().when(), bs)) {
                        Node n = node(ex, t.client(), bs, List.of());
                        nodes.add(n);
                        clients.add(n.name);
                    }
                }
                XlatorTemplate cluster = t.clusters().get(sv.type().name());
                Scope ss = scope.withSubvol(s, String.join(",", clients));
                if (cluster != null && allHold(cluster.when(), ss)) {
                    Node n = node(ex, cluster, ss, clients);
                    nodes.add(n);
                    below.add(n.name);
                } else {
                    below.addAll(clients);
                }
            }
            for (int leaf = 0; leaf < below.size() && !t.perLeaf().isEmpty(); leaf++) {
                Scope ls = scope.withSubvol(leaf, below.get(leaf)).withLeaves(below.size());
                String top = below.get(leaf);
                for (XlatorTemplate x : t.perLeaf()) {
                    if (allHold(x.when(), ls)) {
                        Node n = node(ex, x, ls, List.of(top));
                        nodes.add(n);
                        top = n.name;
                    }
                }
                below.set(leaf, top);
            }
            if (t.join() != null && allHold(t.join().when(), scope)) {
                Node n = node(ex, t.join(), scope, below);
                nodes.add(n);
                below = List.of(n.name);
            }
        }
        for (XlatorTemplate x : t.chain()) {
            if (allHold(x.when(), scope)) {
                Node n = node(ex, x, scope, below);
                nodes.add(n);
                below = List.of(n.name);
            }
        }
        List<Xlator> xlators = new ArrayList<>(nodes.size());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Node n : nodes) {
            if (!names.add(n.name)) {
                throw GdException.invalid("graph '" + t.name() + "' would hold two translators named '" + n.name + "'",
                        "volume names, brick paths and template names must not collide");
            }
            xlators.add(new Xlator(n.name, n.template.type(), options(n, byType, values, ex), n.subvolumes));
        }
        return new Graph(xlators);
    }

    private static Map<String, String> options(Node n, Map<String, List<VolOptEntry>> byType,
                                               Map<VolOptEntry, String> values, Expressions.Cache ex) {
        List<VolOptEntry> fromMap = n.template.appliesVolumeOptions()
                ? byType.getOrDefault(n.template.type(), List.of()) : List.of();
        int expected = n.template.options().size() + fromMap.size() + n.template.fixed().size();
        Map<String, String> o = new LinkedHashMap<>(expected * 4 / 3 + 2);
        putExpanded(o, n.template.options(), n.scope, ex);
        for (VolOptEntry e : fromMap) {
            o.put(e.option(), values.get(e));
        }
        putExpanded(o, n.template.fixed(), n.scope, ex);
        return o;
    }

    private static void putExpanded(Map<String, String> o, Map<String, String> src, Scope scope, Expressions.Cache ex) {
        src.forEach((k, val) -> {
            String v = ex.expand(val, scope);
            if (!v.isEmpty()) {
                o.put(ex.expand(k, scope), v);
            }
        });
    }

    private static Node node(Expressions.Cache ex, XlatorTemplate x, Scope scope, List<String> subvolumes) {
        String name = x.name() == null ? scope.volume().volume().name() + "-" + x.id()
                : ex.expand(x.name(), scope);
        return new Node(name, x, scope, List.copyOf(subvolumes));
    }

    private static boolean allHold(List<String> conditions, Scope scope) {
        for (String c : conditions) {
            if (!Expressions.holds(c, scope)) {
                return false;
            }
        }
        return true;
    }
}
