package dev.gdkit.volgen;

import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import dev.gdkit.volgen.spec.SpecReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The conformance corpus in the test resources: one directory per case, volfiles named as glusterd names them. */
final class Corpus {
    static final String VOLUME_ID = "@VOLUME_ID@";
    static final String USER = "@AUTH_USER@";
    static final String PASSWORD = "@AUTH_PASSWORD@";
    static final String WORKDIR = "@WORKDIR@";

    private Corpus() {
    }

    static Path root() {
        try {
            return Path.of(Corpus.class.getResource("/corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every case directory (any corpus set under /corpus), sorted. */
    static List<Path> cases() {
        try (Stream<Path> s = Files.walk(root(), 2)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("spec.json"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The volfiles of a case by file name. */
    static TreeMap<String, String> volfiles(Path dir) {
        TreeMap<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".vol")).toList()) {
                out.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static OpVersion opVersion(Path dir) throws IOException {
        Path f = dir.getParent().resolve("OP_VERSION");
        String[] parts = Files.readString(f).trim().split("\\s+");
        return OpVersion.of(Integer.parseInt(parts[parts.length - 1]));
    }

    static VolgenRequest request(Path dir, GlusterOptionCatalog catalog) throws IOException {
        SpecReader reader = new SpecReader(catalog);
        Volume v = reader.toVolume(reader.parse(Files.readString(dir.resolve("spec.json"))), VOLUME_ID);
        return VolgenRequest.builder(v).clusterOpVersion(opVersion(dir)).credentials(USER, PASSWORD).workdir(WORKDIR).build();
    }
}
