package dev.gdkit.volgen;

import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolfileSet;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import dev.gdkit.volgen.graph.Graph;
import dev.gdkit.volgen.graph.VolfileParser;
import dev.gdkit.volgen.graph.VolfileWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Every corpus case: the same files, each with the same graph as glusterd 10.3 wrote. */
class ConformanceTest {
    private static final GlusterVolgen VOLGEN = GlusterVolgen.standard();
    private static final VolfileParser PARSER = new VolfileParser();

    static List<Path> cases() {
        return Corpus.cases();
    }

    @Test
    void corpusIsPresent() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatesTheSameFilesWithTheSameGraphs(Path dir) throws Exception {
        TreeMap<String, String> golden = Corpus.volfiles(dir);
        VolfileSet set = VOLGEN.generate(Corpus.request(dir, (GlusterOptionCatalog) VOLGEN.catalog()));
        Map<String, String> mine = new TreeMap<>();
        for (Volfile f : set.files()) {
            mine.put(f.fileName(), f.text());
        }
        assertThat(mine.keySet()).as("volfile names of %s", dir.getFileName()).isEqualTo(golden.keySet());
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> g : golden.entrySet()) {
            Graph expected = PARSER.parse(g.getValue());
            Graph actual = PARSER.parse(mine.get(g.getKey()));
            actual.differences(expected).forEach(d -> diffs.add(g.getKey() + ": " + d));
        }
        assertThat(diffs).as("graph differences in %s", dir.getFileName()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCorpusFileRoundTrips(Path dir) {
        VolfileWriter writer = new VolfileWriter();
        for (String text : Corpus.volfiles(dir).values()) {
            Graph g = PARSER.parse(text);
            Graph again = PARSER.parse(writer.write(g));
            assertThat(again).isEqualTo(g);
            assertThat(writer.write(again)).isEqualTo(writer.write(g));
        }
    }
}
