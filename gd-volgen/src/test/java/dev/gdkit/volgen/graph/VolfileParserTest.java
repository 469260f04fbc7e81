package dev.gdkit.volgen.graph;

import dev.gdkit.api.error.GdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolfileParserTest {
    private final VolfileParser parser = new VolfileParser();

    @Test
    void readsCommentsQuotesAndKeywordsInAnyCase() {
        Graph g = parser.parse("# a comment\nVOLUME v-posix # trailing\n  Type storage/posix\n  option directory \"/b/1\"\n"
                + "End-Volume\nvolume top\n type debug/io-stats\n subvolumes v-posix\nend-volume\n");
        assertThat(g.xlators()).containsExactly(
                new Xlator("v-posix", "storage/posix", Map.of("directory", "/b/1"), List.of()),
                new Xlator("top", "debug/io-stats", Map.of(), List.of("v-posix")));
        assertThat(g.top().name()).isEqualTo("top");
    }

    @Test
    void writerOutputParsesBackToTheSameGraph() {
        Graph g = new Graph(List.of(
                new Xlator("a", "protocol/client", Map.of("remote-host", "h1", "ping-timeout", "42"), List.of()),
                new Xlator("b", "protocol/client", Map.of("remote-host", "h2"), List.of()),
                new Xlator("c", "cluster/replicate", Map.of(), List.of("a", "b"))));
        assertThat(parser.parse(new VolfileWriter().write(g))).isEqualTo(g);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "^^|defines no translator",
        "type x/y|expected 'volume' but found 'type'",
        "volume|expected a translator name after 'volume' but the file ends",
        "volume a type x/y|has no 'end-volume'",
        "volume a end-volume|has no type",
        "volume a type x/y type x/z end-volume|has a second type 'x/z'",
        "volume a type x/y end-volume volume a type x/y end-volume|is defined twice",
        "volume a type x/y subvolumes b end-volume|subvolume 'b' of 'a' is not defined before it",
        "volume a type x/y subvolumes a end-volume|subvolume 'a' of 'a' is not defined before it",
        "volume a type x/y subvolumes end-volume|'subvolumes' without names",
        "volume a type x/y option k end-volume|expected a value for option 'k' but found the keyword 'end-volume'",
        "volume a type x/y bogus end-volume|unexpected 'bogus' in translator 'a'",
        "volume a type x/y option k \"v end-volume|a quoted string is not closed",
        "volume volume type x/y end-volume|expected a translator name after 'volume' but found the keyword 'volume'",
    })
    void refusesMalformedVolfiles(String text, String message) {
        assertThatThrownBy(() -> parser.parse(text)).isInstanceOf(GdException.class).hasMessageContaining(message);
    }

    @Test
    void refusesQuotedStringsAcrossLines() {
        assertThatThrownBy(() -> parser.parse("volume a\n type x/y\n option k \"v\nw\"\nend-volume\n"))
                .isInstanceOf(GdException.class).hasMessageContaining("line 3").hasMessageContaining("spans lines");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> parser.parse("volume a\n type x/y\n\n subvolumes nope\nend-volume\n"))
                .hasMessageStartingWith("volfile line 4:");
    }

    @Test
    void graphComparisonIgnoresOrderButNotContent() {
        Graph a = parser.parse("volume x\n type t/x\n option k 1\n option l 2\nend-volume\nvolume y\n type t/y\nend-volume\n");
        Graph b = parser.parse("volume y\n type t/y\nend-volume\nvolume x\n type t/x\n option l 2\n option k 1\nend-volume\n");
        Graph c = parser.parse("volume x\n type t/x\n option k 1\n option l 3\nend-volume\nvolume y\n type t/y\nend-volume\n");
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.differences(c)).containsExactly("translator x: option l=2 != 3");
        assertThat(a.differences(parser.parse("volume x\n type t/z\nend-volume\n")))
                .contains("extra translator y (t/y)").anyMatch(d -> d.contains("type t/x != t/z"));
    }
}
