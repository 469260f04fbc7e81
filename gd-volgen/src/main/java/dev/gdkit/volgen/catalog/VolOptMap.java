package dev.gdkit.volgen.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * glusterd's volume-option map, in glusterd's order, read from the tab-separated resource
 * {@code volopt-map.tsv} (columns: key, voltype, option, value, op_version, type, flags,
 * validate_fn). C macro names in the source table are replaced by the values they expand to.
 * Immutable and thread-safe.
 */
public final class VolOptMap {
    /** Macro names used in glusterd's table and what they stand for. */
    private static final Map<String, String> MACROS = Map.of(
            "VKEY_MARKER_XTIME", "geo-replication.indexing",
            "VKEY_MARKER_XTIME_FORCE", "geo-replication.ignore-pid-check",
            "SITE_H_NFS_DISABLE", "on",
            "TOSTRINGBARRIER_TIMEOUT", "120",
            "TOSTRINGSIGNING_TIMEOUT", "120",
            "TOSTRINGBR_DEFAULT_THREADS", "4");

    private final List<VolOptEntry> entries;
    private final Map<String, List<VolOptEntry>> byKey;

    private VolOptMap(List<VolOptEntry> entries) {
        this.entries = List.copyOf(entries);
        Map<String, List<VolOptEntry>> m = new LinkedHashMap<>();
        for (VolOptEntry e : entries) {
            m.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        this.byKey = Collections.unmodifiableMap(m);
    }

    /** The map shipped with gd-volgen (glusterd 10.5). */
    public static VolOptMap builtin() {
        try (InputStream in = VolOptMap.class.getResourceAsStream("/dev/gdkit/volgen/volopt-map.tsv")) {
            if (in == null) {
                throw new IllegalStateException("resource /dev/gdkit/volgen/volopt-map.tsv is missing from the gd-volgen jar");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a map in the TSV layout described above (first line is the header). */
    public static VolOptMap parse(InputStream in) throws IOException {
        List<VolOptEntry> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = r.readLine();
        int n = 1;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                throw new IOException("volopt map line " + n + " has " + f.length + " columns, expected 8");
            }
            out.add(new VolOptEntry(expand(f[0]), f[1], f[2], expand(f[3]), Integer.parseInt(f[4].trim()),
                    col(f, 5), col(f, 6), col(f, 7)));
        }
        return new VolOptMap(out);
    }

    private static String col(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }

    private static String expand(String s) {
        return MACROS.getOrDefault(s, s);
    }

    /** Every entry in glusterd's order (a key may appear more than once). */
    public List<VolOptEntry> entries() {
        return entries;
    }

    /** The entries of one key (empty when unknown). */
    public List<VolOptEntry> entries(String key) {
        return byKey.getOrDefault(key, List.of());
    }

    /** Distinct keys in map order. */
    public java.util.Set<String> keys() {
        return byKey.keySet();
    }

    /** The default of a key: the first non-empty default among its entries, or "". */
    public String defaultValue(String key) {
        for (VolOptEntry e : entries(key)) {
            if (!e.defaultValue().isEmpty()) {
                return e.defaultValue();
            }
        }
        return "";
    }
}
