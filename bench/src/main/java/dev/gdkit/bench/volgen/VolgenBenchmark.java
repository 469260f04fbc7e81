package dev.gdkit.bench.volgen;

import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volgen.VolfileSet;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.GlusterVolgen;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import dev.gdkit.volgen.spec.SpecReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * All volfiles of a large distributed-replicate volume: every brick volfile plus the FUSE,
 * trusted, gfproxyd, gfproxy-client, self-heal and rebalance files, rendered as text
 * (validation included). Default: 1,000 bricks, replica 2 (500 sets), 10 bricks on each of 100
 * nodes. Run with (see docs/benchmarks.md):
 * <pre>
 * java -cp bench/target/classes:$(cat /tmp/bench.cp) org.openjdk.jmh.Main VolgenBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VolgenBenchmark {
    @Param({"1000"})
    public int bricks;
    @Param({"2"})
    public int replica;

    private GlusterVolgen volgen;
    private VolgenRequest request;

    @Setup
    public void setup() {
        GlusterOptionCatalog catalog = GlusterOptionCatalog.builtin();
        volgen = GlusterVolgen.builder().catalog(catalog).build();
        request = VolgenRequest.builder(volume(catalog, bricks, replica)).credentials("u", "p").build();
    }

    /** A distributed-replicate volume with {@code bricks} bricks, 10 per node. */
    static Volume volume(GlusterOptionCatalog catalog, int bricks, int replica) {
        StringBuilder json = new StringBuilder("{\"name\":\"big\",\"create\":\"replica ").append(replica).append("\",\"bricks\":[");
        for (int i = 0; i < bricks; i++) {
            json.append(i == 0 ? "" : ",").append("{\"host\":\"node").append(i % (bricks / 10)).append(".example.com\",")
                    .append("\"path\":\"/bricks/big/b").append(i).append("\"}");
        }
        json.append("],\"options\":{}}");
        SpecReader r = new SpecReader(catalog);
        return r.toVolume(r.parse(json.toString()), "8b5c0c7e-0000-4000-8000-000000000001");
    }

    @Benchmark
    public VolfileSet allVolfiles() {
        return volgen.generate(request);
    }
}
