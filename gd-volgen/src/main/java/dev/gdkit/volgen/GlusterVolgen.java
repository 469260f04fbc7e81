package dev.gdkit.volgen;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.core.volgen.OptionCatalog;
import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolfileKind;
import dev.gdkit.core.volgen.VolfilePlacement;
import dev.gdkit.core.volgen.VolfileSet;
import dev.gdkit.core.volgen.Volgen;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import dev.gdkit.volgen.catalog.VolOptMap;
import dev.gdkit.volgen.graph.VolfileSyntax;
import dev.gdkit.volgen.graph.VolfileWriter;
import dev.gdkit.volgen.template.GraphGenerator;
import dev.gdkit.volgen.template.TemplatePlugin;
import dev.gdkit.volgen.template.TemplateSet;
import dev.gdkit.volgen.template.VolumeContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GlusterFS 10 {@link Volgen}: templates held as data ({@link TemplateSet}), glusterd's
 * volume-option map and the {@link GlusterOptionCatalog}. Immutable and thread-safe; build with
 * {@link #builder()}.
 */
public final class GlusterVolgen implements Volgen {
    private final TemplateSet templates;
    private final GlusterOptionCatalog catalog;
    private final VolOptMap map;
    private final GraphGenerator generator = new GraphGenerator();
    private final VolfileWriter writer = new VolfileWriter();

    private GlusterVolgen(TemplateSet templates, GlusterOptionCatalog catalog) {
        this.templates = templates;
        this.catalog = catalog;
        this.map = catalog.volOptMap();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Built-in templates and catalog, no plugins. */
    public static GlusterVolgen standard() {
        return builder().build();
    }

    @Override
    public OptionCatalog catalog() {
        return catalog;
    }

    public TemplateSet templates() {
        return templates;
    }

    /** The graphs of a request, before they are written as text. */
    public List<GraphGenerator.Rendered> graphs(VolgenRequest request) {
        return graphs(request, (kind, brick) -> true);
    }

    private List<GraphGenerator.Rendered> graphs(VolgenRequest request, GraphGenerator.Wanted wanted) {
        VolumeChecks.checkVolume(request.volume());
        VolfileSyntax.requireWord(request.authUser(), "auth user");
        VolfileSyntax.requireWord(request.authPassword(), "auth password");
        VolfileSyntax.requireWord(request.workdir(), "workdir");
        checkOpVersions(catalog.validate(request.clusterOptions(), null), request);
        checkOpVersions(catalog.validate(request.volume().options(), request.volume().type()), request);
        return generator.render(templates, new VolumeContext(request, map), wanted);
    }

    private void checkOpVersions(Map<String, String> options, VolgenRequest request) {
        int cluster = request.clusterOpVersion().value();
        for (String key : options.keySet()) {
            if (!key.startsWith("user.") && catalog.opVersion(key).value() > cluster) {
                throw new GdException(ErrorCode.OP_VERSION_TOO_LOW, "option " + key + " needs cluster op-version "
                        + catalog.opVersion(key) + " but the cluster runs at " + cluster,
                        "raise cluster.op-version to at least " + catalog.opVersion(key) + " or leave " + key + " unset");
            }
        }
    }

    @Override
    public VolfileSet generate(VolgenRequest request) {
        return generate(request, (kind, brick) -> true);
    }

    /** Renders only the kept graphs (brick and self-heal), or only those kept on {@code node}. */
    @Override
    public VolfileSet generateKept(VolgenRequest request, java.util.Optional<dev.gdkit.api.model.NodeId> node) {
        List<Brick> bricks = request.volume().bricks();
        boolean hostsBrick = node.map(n -> bricks.stream().anyMatch(b -> b.node().equals(n))).orElse(true);
        return generate(request, (kind, brick) -> switch (kind) {
            case BRICK -> node.map(n -> bricks.get(brick).node().equals(n)).orElse(true);
            case SELF_HEAL -> hostsBrick;
            default -> false;
        });
    }

    private VolfileSet generate(VolgenRequest request, GraphGenerator.Wanted wanted) {
        List<Brick> bricks = request.volume().bricks();
        Set<dev.gdkit.api.model.NodeId> brickHosts = new java.util.LinkedHashSet<>();
        bricks.forEach(b -> brickHosts.add(b.node()));
        List<Volfile> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (GraphGenerator.Rendered r : graphs(request, wanted)) {
            if (!names.add(r.fileName())) {
                throw GdException.invalid("two volfiles of volume " + request.volume().name() + " would be named "
                        + r.fileName(), "bricks must differ in host or path after '/' is replaced by '-'");
            }
            VolfilePlacement where = switch (r.kind()) {
                case BRICK -> VolfilePlacement.on(bricks.get(r.brickIndex()).node());
                case SELF_HEAL -> VolfilePlacement.on(brickHosts);
                default -> VolfilePlacement.served();
            };
            files.add(new Volfile(r.fileName(), r.kind(), where, writer.write(r.graph())));
        }
        return new VolfileSet(request.volume().name(), files);
    }

    /** Builder: templates (default built-in), plugins applied in order, catalog (default built-in). */
    public static final class Builder {
        private TemplateSet templates;
        private final List<TemplatePlugin> plugins = new ArrayList<>();
        private GlusterOptionCatalog catalog;

        public Builder templates(TemplateSet t) {
            templates = t;
            return this;
        }

        public Builder plugin(TemplatePlugin p) {
            plugins.add(p);
            return this;
        }

        public Builder catalog(GlusterOptionCatalog c) {
            catalog = c;
            return this;
        }

        public GlusterVolgen build() {
            TemplateSet t = templates != null ? templates : TemplateSet.builtin();
            for (TemplatePlugin p : plugins) {
                t = t.with(p);
            }
            return new GlusterVolgen(t, catalog != null ? catalog : GlusterOptionCatalog.builtin());
        }
    }
}
