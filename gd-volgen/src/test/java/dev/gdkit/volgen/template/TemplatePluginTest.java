package dev.gdkit.volgen.template;

import dev.gdkit.api.error.GdException;
import dev.gdkit.core.volgen.VolfileKind;
import dev.gdkit.volgen.GlusterVolgen;
import dev.gdkit.volgen.TestVolumes;
import dev.gdkit.volgen.graph.Graph;
import dev.gdkit.volgen.graph.VolfileParser;
import dev.gdkit.volgen.graph.Xlator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplatePluginTest {
    private static Graph fuse(GlusterVolgen g) {
        String text = g.generate(TestVolumes.request(TestVolumes.rep3(""))).byName("v.tcp-fuse.vol").orElseThrow().text();
        return new VolfileParser().parse(text);
    }

    private static List<String> chain(Graph g) {
        return g.xlators().stream().map(Xlator::name).filter(n -> !n.contains("-client-")).toList();
    }

    @Test
    void builtinFuseChain() {
        assertThat(chain(fuse(GlusterVolgen.standard()))).containsExactly("v-replicate-0", "v-dht", "v-utime",
                "v-write-behind", "v-open-behind", "v-quick-read", "v-md-cache", "v");
    }

    @Test
    void pluginAddsRemovesMovesAndConfiguresTranslators() {
        TemplatePlugin plugin = t -> !t.name().equals("fuse") ? t : t
                .withInsertedBelow("shard", new XlatorTemplate("trace", null, "debug/trace", null, List.of(),
                        Map.of("log-file", "yes"), Map.of(), false))
                .without("quick-read")
                .withMovedAbove("write-behind", "md-cache")
                .withOptions("md-cache", Map.of("md-cache-timeout", "600"));
        Graph g = fuse(GlusterVolgen.builder().plugin(plugin).build());
        assertThat(chain(g)).containsExactly("v-replicate-0", "v-dht", "v-trace", "v-utime", "v-open-behind",
                "v-md-cache", "v-write-behind", "v");
        assertThat(g.find("v-trace").orElseThrow().type()).isEqualTo("debug/trace");
        assertThat(g.find("v-trace").orElseThrow().subvolumes()).containsExactly("v-dht");
        assertThat(g.find("v-md-cache").orElseThrow().options()).containsEntry("md-cache-timeout", "600");
        // the volume's own options still win over plugin defaults
        String t2 = GlusterVolgen.builder().plugin(plugin).build()
                .generate(TestVolumes.request(TestVolumes.rep3("'performance.md-cache-timeout':'5'")))
                .byName("v.tcp-fuse.vol").orElseThrow().text();
        assertThat(new VolfileParser().parse(t2).find("v-md-cache").orElseThrow().options()).containsEntry("md-cache-timeout", "5");
        // the built-in templates are untouched
        assertThat(chain(fuse(GlusterVolgen.standard()))).contains("v-quick-read").doesNotContain("v-trace");
        assertThat(TemplateSet.builtin().graph("fuse").chain().stream().map(XlatorTemplate::id)).contains("quick-read");
    }

    @Test
    void pluginAddsAWholeGraph() {
        GraphTemplate extra = new GraphTemplate("probe", VolfileKind.CLIENT, "${volume.name}-probe.vol", List.of(),
                TemplateSet.builtin().graph("fuse").client(), Map.of(), List.of(), null,
                List.of(XlatorTemplate.of("top", "debug/io-stats")));
        GlusterVolgen g = GlusterVolgen.builder().templates(TemplateSet.builtin().plus(extra)).build();
        Graph probe = new VolfileParser().parse(g.generate(TestVolumes.request(TestVolumes.rep3("")))
                .byName("v-probe.vol").orElseThrow().text());
        assertThat(probe.top().subvolumes()).containsExactly("v-client-0", "v-client-1", "v-client-2");
        assertThatThrownBy(() -> TemplateSet.builtin().plus(extra).plus(extra)).hasMessageContaining("already exists");
    }

    @Test
    void refusesBadEdits() {
        GraphTemplate fuse = TemplateSet.builtin().graph("fuse");
        assertThatThrownBy(() -> fuse.without("nope")).isInstanceOf(GdException.class)
                .hasMessageContaining("no translator position 'nope'");
        assertThatThrownBy(() -> fuse.withInsertedBelow("md-cache", XlatorTemplate.of("utime", "features/utime")))
                .hasMessageContaining("already has a translator position 'utime'");
        assertThatThrownBy(() -> TemplateSet.builtin().graph("nfs")).hasMessageContaining("no graph template named 'nfs'");
        TemplatePlugin bad = t -> t.name().equals("fuse") ? t.withOptions("md-cache", Map.of("x", "${nonsense}")) : t;
        assertThatThrownBy(() -> GlusterVolgen.builder().plugin(bad).build().generate(TestVolumes.request(TestVolumes.rep3(""))))
                .hasMessageContaining("unknown template expression '${nonsense}'");
        TemplatePlugin badWhen = t -> t.name().equals("fuse")
                ? t.withInsertedBelow("shard", XlatorTemplate.of("x", "debug/trace").withWhen(List.of("moon.full"))) : t;
        assertThatThrownBy(() -> GlusterVolgen.builder().plugin(badWhen).build().generate(TestVolumes.request(TestVolumes.rep3(""))))
                .hasMessageContaining("unknown template condition 'moon.full'");
    }

    @Test
    void refusesBrokenTemplateData() {
        String danglingRef = "{\"xlators\":{},\"graphs\":[{\"name\":\"g\",\"kind\":\"CLIENT\",\"fileName\":\"f\","
                + "\"chain\":[{\"id\":\"a\",\"ref\":\"missing\"}]}]}";
        assertThatThrownBy(() -> TemplateSet.read(new ByteArrayInputStream(danglingRef.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("unknown or circular shared definition 'missing'");
        String badExtends = "{\"graphs\":[{\"name\":\"g\",\"extends\":\"h\"}]}";
        assertThatThrownBy(() -> TemplateSet.read(new ByteArrayInputStream(badExtends.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("extends unknown graph 'h'");
        String noType = "{\"graphs\":[{\"name\":\"g\",\"kind\":\"CLIENT\",\"fileName\":\"f\",\"chain\":[{\"id\":\"a\"}]}]}";
        assertThatThrownBy(() -> TemplateSet.read(new ByteArrayInputStream(noType.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("no id or no type");
    }
}
