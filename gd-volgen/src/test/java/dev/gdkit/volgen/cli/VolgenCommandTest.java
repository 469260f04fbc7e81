package dev.gdkit.volgen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class VolgenCommandTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return VolgenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path spec(String json) throws IOException {
        Path p = tmp.resolve("spec.json");
        Files.writeString(p, json.replace('\'', '"'));
        return p;
    }

    private static final String BRICKS3 = "[{'host':'h1','path':'/b/1'},{'host':'h2','path':'/b/2'},{'host':'h3','path':'/b/3'}]";

    @Test
    void writesTheCorpusFilesByteForByteComparableGraphs() throws Exception {
        Path corpus = Path.of(getClass().getResource("/corpus/glusterd-10.3/arb").toURI());
        Path outDir = tmp.resolve("out");
        assertThat(run("--spec", corpus.resolve("spec.json").toString(), "--out", outDir.toString(), "--catalog", "builtin"))
                .as(err()).isZero();
        try (Stream<Path> s = Files.list(corpus)) {
            assertThat(s.filter(p -> p.toString().endsWith(".vol")).map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(Files.list(outDir).map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("arb-shd.vol");
    }

    private void assertRefused(int code, Path outDir, String... expected) throws IOException {
        assertThat(outDir).doesNotExist();
        for (String e : expected) {
            assertThat(err()).contains(e);
        }
        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("nothing was written");
    }

    @Test
    void unknownKey() throws IOException {
        Path o = tmp.resolve("o1");
        int code = run("--spec", spec("{'name':'v','create':'replica 3','bricks':" + BRICKS3
                + ",'options':{'performance.cach-size':'1GB'}}").toString(), "--out", o.toString());
        assertRefused(code, o, "option performance.cach-size does not exist; did you mean performance.cache-size?");
    }

    @Test
    void invalidValue() throws IOException {
        Path o = tmp.resolve("o2");
        int code = run("--spec", spec("{'name':'v','create':'replica 3','bricks':" + BRICKS3
                + ",'options':{'cluster.quorum-type':'most'}}").toString(), "--out", o.toString());
        assertRefused(code, o, "option cluster.quorum-type value 'most' is not valid: it is not one of the allowed values",
                "allowed: cluster.quorum-type takes", "none, auto, fixed");
    }

    @Test
    void conflictingOptions() throws IOException {
        Path o = tmp.resolve("o3");
        int code = run("--spec", spec("{'name':'v','create':'','bricks':" + BRICKS3
                + ",'options':{'features.read-only':'on','features.worm':'on'}}").toString(), "--out", o.toString());
        assertRefused(code, o, "features.read-only=on conflicts with features.worm=on", "allowed: turn one of");
    }

    @Test
    void wrongBrickCountNamesTheRule() throws IOException {
        Path o = tmp.resolve("o4");
        int code = run("--spec", spec("{'name':'v','create':'disperse 6 redundancy 2','bricks':" + BRICKS3 + "}").toString(),
                "--out", o.toString());
        assertRefused(code, o, "brick layout rule: number of bricks (3) is not a multiple of disperse count 6");
    }

    @Test
    void badSpec() throws IOException {
        Path o = tmp.resolve("o5");
        assertRefused(run("--spec", spec("{'name':'v',").toString(), "--out", o.toString()), o, "the spec is not valid");
    }

    @Test
    void injectionInTheSpec() throws IOException {
        Path o = tmp.resolve("o6");
        int code = run("--spec", spec("{'name':'v','bricks':[{'host':'h1','path':'/b\\nend-volume'}]}").toString(),
                "--out", o.toString());
        assertRefused(code, o, "brick path '/b\\nend-volume' on h1 cannot be used: it contains a line break");
    }

    @Test
    void commandLineErrors() throws IOException {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("--spec and --out are required");
        assertThat(run("--spec")).isEqualTo(2);
        assertThat(run("--bogus", "x")).isEqualTo(2);
        assertThat(err()).contains("unknown argument '--bogus'");
        assertThat(run("--spec", tmp.resolve("none.json").toString(), "--out", tmp.resolve("o").toString())).isEqualTo(3);
        assertThat(err()).contains("does not exist");
        Path s = spec("{'name':'v','bricks':" + BRICKS3 + "}");
        assertThat(run("--spec", s.toString(), "--out", tmp.resolve("o7").toString(), "--op-version", "ten")).isEqualTo(1);
        assertThat(err()).contains("--op-version 'ten' is not a number");
        assertThat(run("--spec", s.toString(), "--out", tmp.resolve("o8").toString(), "--catalog", "web")).isEqualTo(1);
        assertThat(tmp.resolve("o7")).doesNotExist();
        Path file = tmp.resolve("afile");
        Files.writeString(file, "x");
        assertThat(run("--spec", s.toString(), "--out", file.toString())).isEqualTo(3);
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: gd-volgen");
    }

    @Test
    void setsIdsAndSecrets() throws IOException, URISyntaxException {
        Path o = tmp.resolve("o9");
        assertThat(run("--spec", spec("{'name':'v','bricks':" + BRICKS3 + "}").toString(), "--out", o.toString(),
                "--volume-id", "1234", "--auth-user", "u1", "--auth-password", "p1", "--workdir", "/var/lib/glusterd")).isZero();
        String brick = Files.readString(o.resolve("v.h1.b-1.vol"));
        assertThat(brick).contains("option volume-id 1234").contains("auth.login.u1.password p1")
                .contains("/var/lib/glusterd/vols/v/marker.tstamp");
        try (Stream<Path> s = Files.list(o)) {
            assertThat(s.map(Path::toString)).noneMatch(p -> p.endsWith(".tmp"));
        }
    }
}
