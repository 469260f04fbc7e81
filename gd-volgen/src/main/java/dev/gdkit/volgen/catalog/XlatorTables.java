package dev.gdkit.volgen.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The option tables of GlusterFS translators by translator type ({@code performance/io-cache}),
 * as loaded from an installed GlusterFS ({@link XlatorLibraryReader}) or from the built-in resource
 * {@code xlator-options.json} that the project's generator wrote. Immutable and thread-safe.
 *
 * @param source where the tables came from (a directory or the resource name)
 * @param version the GlusterFS version they describe
 * @param tables option definitions by translator type, sorted
 */
public record XlatorTables(String source, String version, Map<String, List<XlatorOptionDef>> tables) {
    public static final String RESOURCE = "/dev/gdkit/volgen/xlator-options.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public XlatorTables {
        tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
    }

    /** The tables shipped in the gd-volgen jar. */
    public static XlatorTables builtin() {
        try (InputStream in = XlatorTables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the gd-volgen jar");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static XlatorTables read(InputStream in) throws IOException {
        return JSON.readValue(in, new TypeReference<XlatorTables>() { });
    }

    public void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    /** The definition of option {@code name} (any of its keys) of a translator type. */
    public Optional<XlatorOptionDef> find(String xlatorType, String name) {
        for (XlatorOptionDef d : tables.getOrDefault(xlatorType, List.of())) {
            if (d.named(name) || d.setkey().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
