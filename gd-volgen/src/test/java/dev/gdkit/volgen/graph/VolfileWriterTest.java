package dev.gdkit.volgen.graph;

import dev.gdkit.api.error.GdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Injection safety at the last boundary: no word can change the structure of the written file. */
class VolfileWriterTest {
    private final VolfileWriter writer = new VolfileWriter();

    private static Graph withValue(String value) {
        return new Graph(List.of(new Xlator("v-client-0", "protocol/client", Map.of("remote-host", value), List.of())));
    }

    @Test
    void writesGlusterLayout() {
        Graph g = new Graph(List.of(new Xlator("a", "storage/posix", Map.of("directory", "/b"), List.of()),
                new Xlator("b", "debug/io-stats", Map.of(), List.of("a"))));
        assertThat(writer.write(g)).isEqualTo("volume a\n    type storage/posix\n    option directory /b\nend-volume\n\n"
                + "volume b\n    type debug/io-stats\n    subvolumes a\nend-volume\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h1\nend-volume", "h1\rvolume x", "end-volume", "END-VOLUME", "volume", "option", "type",
        "subvolumes", "h1#comment", "h1 h2", "h1\th2", " h1", "h1 ", "h1\u00a0h2", "h1\u2028h2", "h1\u0000",
        "h1\u200bh2", "\"quoted\"", ""})
    void refusesWordsThatWouldBreakTheFormat(String value) {
        assertThatThrownBy(() -> writer.write(withValue(value)))
                .isInstanceOf(GdException.class)
                .hasMessageContaining("value of option remote-host in translator v-client-0")
                .hasMessageContaining("cannot be written into a volfile");
    }

    @Test
    void refusesBadNamesTypesKeysAndSubvolumes() {
        assertThatThrownBy(() -> writer.write(new Graph(List.of(new Xlator("a b", "t/x", Map.of(), List.of())))))
                .hasMessageContaining("translator name 'a b'");
        assertThatThrownBy(() -> writer.write(new Graph(List.of(new Xlator("a", "t/x\n", Map.of(), List.of())))))
                .hasMessageContaining("type of translator a 't/x\\n'");
        assertThatThrownBy(() -> writer.write(new Graph(List.of(new Xlator("a", "t/x", Map.of("k#", "v"), List.of())))))
                .hasMessageContaining("option key in translator a");
        assertThatThrownBy(() -> writer.write(new Graph(List.of(new Xlator("a", "t/x", Map.of(), List.of("end-volume"))))))
                .hasMessageContaining("subvolume of translator a");
    }

    @Test
    void keepsLegalWordsThatMerelyContainKeywords() {
        Graph g = withValue("/bricks/volume/end-volume-option");
        assertThat(new VolfileParser().parse(writer.write(g))).isEqualTo(g);
    }

    @Test
    void explainsTheProblem() {
        assertThat(VolfileSyntax.problem("a\nb")).isEqualTo("it contains a line break");
        assertThat(VolfileSyntax.problem("a#b")).contains("comment");
        assertThat(VolfileSyntax.problem("Volume")).contains("keyword");
        assertThat(VolfileSyntax.problem("ok-word")).isNull();
        assertThat(VolfileSyntax.printable("a\n\tb\u0001")).isEqualTo("a\\n\\tb\\u0001");
    }
}
