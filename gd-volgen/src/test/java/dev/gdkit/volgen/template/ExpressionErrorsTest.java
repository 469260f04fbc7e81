package dev.gdkit.volgen.template;

import dev.gdkit.api.error.GdException;
import dev.gdkit.volgen.GlusterVolgen;
import dev.gdkit.volgen.TestVolumes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Template mistakes a plugin can make are reported, naming the expression. */
class ExpressionErrorsTest {

    private static void generateWithMdCacheOption(String value) {
        TemplatePlugin p = t -> t.name().equals("fuse") ? t.withOptions("md-cache", Map.of("x", value)) : t;
        GlusterVolgen.builder().plugin(p).build().generate(TestVolumes.request(TestVolumes.rep3("")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '^', value = {
        "${volume.name;unterminated expression in template string",
        "${if:features.shard|on};needs the form if:KEY|THEN|ELSE",
        "${size-per-leaf:performance.rda-cache-limit};only available in per-leaf positions",
        "${frob:x};unknown template expression '${frob:x}'",
        "${brick.path};no brick in this template position",
    })
    void reportsBadExpressions(String value, String message) {
        assertThatThrownBy(() -> generateWithMdCacheOption(value)).isInstanceOf(GdException.class).hasMessageContaining(message);
    }

    @Test
    void expandsExpressions() {
        TemplatePlugin p = t -> t.name().equals("fuse") ? t.withOptions("md-cache",
                Map.of("a", "${opt:features.shard|zz}-${not:features.shard}-${if:performance.write-behind|W|w}",
                        "b", "${opt:user.none|fallback}", "c", "${opt:user.none}")) : t;
        String text = GlusterVolgen.builder().plugin(p).build().generate(TestVolumes.request(TestVolumes.rep3("")))
                .byName("v.tcp-fuse.vol").orElseThrow().text();
        assertThat(text).contains("option a off-true-W").contains("option b fallback").doesNotContain("option c ");
    }

    @Test
    void sizesParse() {
        assertThat(Expressions.bytes("10MB")).isEqualTo(10L << 20);
        assertThat(Expressions.bytes("512")).isEqualTo(512);
        assertThat(Expressions.bytes("2g")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> Expressions.bytes("lots")).isInstanceOf(GdException.class).hasMessageContaining("'lots' is not a size");
    }

    @Test
    void refusesTwoTranslatorsWithOneName() {
        TemplatePlugin p = t -> t.name().equals("fuse") ? t.withInsertedBelow("shard",
                new XlatorTemplate("twin", null, "debug/trace", "${volume.name}-dht", List.of(), Map.of(), Map.of(), null)) : t;
        assertThatThrownBy(() -> GlusterVolgen.builder().plugin(p).build().generate(TestVolumes.request(TestVolumes.rep3(""))))
                .hasMessageContaining("graph 'fuse' would hold two translators named 'v-dht'");
    }
}
