package dev.gdkit.volgen.catalog;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.volgen.OptionCatalog;
import dev.gdkit.core.volgen.OptionSide;
import dev.gdkit.core.volgen.OptionSpec;
import dev.gdkit.core.volgen.OptionType;
import dev.gdkit.volgen.graph.VolfileSyntax;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The GlusterFS option catalog: every key of glusterd's volume-option map, with value rules from
 * the translators' own option tables (loaded from an installed GlusterFS, or the built-in tables
 * the project's {@link CatalogGenerator} produced), rules for keys volgen interprets itself
 * ({@code key-rules.tsv}), and glusterd's option groups. Immutable and thread-safe.
 */
public final class GlusterOptionCatalog implements OptionCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(GlusterOptionCatalog.class);
    private static final String RES = "/dev/gdkit/volgen/";
    private static final Set<String> NO_XLATOR = Set.of("mgmt/glusterd", "configuration", "mgmt/ganesha");
    private static final Set<String> BRICK_TYPES = Set.of("protocol/server", "storage/posix", "features/trash",
            "features/changelog", "features/bitrot-stub", "features/access-control", "features/locks",
            "features/worm", "features/read-only", "features/leases", "features/upcall", "features/selinux",
            "features/marker", "features/barrier", "features/index", "features/quota", "features/arbiter",
            "features/sdfs", "features/namespace", "features/snapview-server", "features/cdc");
    private static final Set<String> BOTH_TYPES = Set.of("performance/io-threads", "debug/io-stats",
            "debug/trace", "debug/error-gen", "debug/delay-gen");
    private static final Set<String> CLUSTER_TYPES = Set.of("mgmt/glusterd", "configuration", "mgmt/ganesha",
            "nfs/server", "features/bit-rot", "rpc-transport/socket");
    /** Pairs of boolean keys that cannot both be on, with the reason. */
    private static final List<String[]> CONFLICTS = List.of(
            new String[] {"features.read-only", "features.worm", "a read-only volume cannot also be write-once (WORM)"},
            new String[] {"features.read-only", "features.worm-file-level", "a read-only volume cannot also have file-level WORM"},
            new String[] {"cluster.nufa", "cluster.switch", "distribute can run as nufa or as switch, not both"});

    private final VolOptMap map;
    private final XlatorTables tables;
    private final Map<String, OptionSpec> specs;
    private final Map<String, String> aliases;
    private final Map<String, Map<String, String>> groups;

    private GlusterOptionCatalog(VolOptMap map, XlatorTables tables, Map<String, Map<String, String>> groups) {
        this.map = map;
        this.tables = tables;
        this.groups = groups;
        Map<String, String[]> rules = readKeyRules();
        Map<String, OptionSpec> s = new TreeMap<>();
        for (String key : map.keys()) {
            s.put(key, spec(key, rules.get(key)));
        }
        this.specs = Collections.unmodifiableMap(s);
        Map<String, String> a = new HashMap<>();
        Map<String, Set<String>> shortNames = new HashMap<>();
        for (OptionSpec spec : specs.values()) {
            for (String alias : spec.aliases()) {
                if (!specs.containsKey(alias)) {
                    a.putIfAbsent(alias, spec.key());
                }
            }
            shortNames.computeIfAbsent(spec.key().substring(spec.key().lastIndexOf('.') + 1), k -> new TreeSet<>())
                    .add(spec.key());
        }
        shortNames.forEach((shortName, keys) -> {
            if (keys.size() == 1 && !specs.containsKey(shortName)) {
                a.putIfAbsent(shortName, keys.iterator().next());
            }
        });
        this.aliases = Collections.unmodifiableMap(a);
    }

    /** The catalog from the built-in resources only (no file-system access). */
    public static GlusterOptionCatalog builtin() {
        return new GlusterOptionCatalog(VolOptMap.builtin(), XlatorTables.builtin(), builtinGroups());
    }

    /**
     * The catalog with translator tables read from the newest installed GlusterFS, or the built-in
     * tables when none is installed or it cannot be read.
     */
    public static GlusterOptionCatalog fromInstalledOrBuiltin() {
        Optional<Path> dir = XlatorLibraryReader.findInstalled();
        if (dir.isPresent()) {
            try {
                return of(VolOptMap.builtin(), new XlatorLibraryReader().readAll(dir.get()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read GlusterFS translator tables from {}, using the built-in catalog: {}", dir.get(), e.toString());
            }
        }
        return builtin();
    }

    /** A catalog over the given map and translator tables, with the built-in groups. */
    public static GlusterOptionCatalog of(VolOptMap map, XlatorTables tables) {
        return new GlusterOptionCatalog(map, tables, builtinGroups());
    }

    /** Where the translator tables came from. */
    public String tablesSource() {
        return tables.source();
    }

    public VolOptMap volOptMap() {
        return map;
    }

    private OptionSpec spec(String key, String[] rule) {
        List<VolOptEntry> entries = map.entries(key);
        XlatorOptionDef def = null;
        OptionType type = null;
        List<String> values = List.of();
        Double min = null;
        Double max = null;
        if (rule != null && rule[1].startsWith("=")) {
            String[] ref = rule[1].substring(1).split(":", 2);
            def = tables.find(ref[0], ref[1]).orElse(null);
        } else if (rule != null) {
            type = OptionType.valueOf(rule[1]);
            values = rule.length > 2 && !rule[2].isEmpty() ? List.of(rule[2].split(",")) : List.of();
            min = rule.length > 3 && !rule[3].isEmpty() ? Double.valueOf(rule[3]) : null;
            max = rule.length > 4 && !rule[4].isEmpty() ? Double.valueOf(rule[4]) : null;
        }
        if (rule == null) {
            for (VolOptEntry e : entries) {
                if (!e.special()) {
                    def = tables.find(e.voltype(), e.option()).orElse(null);
                    if (def != null) {
                        break;
                    }
                }
            }
        }
        if (def != null) {
            type = OptionType.valueOf(def.type());
            values = def.values();
            if (def.ranged()) {
                min = def.validate().equals("MAX") ? null : def.min();
                max = def.validate().equals("MIN") || Double.isInfinite(def.max()) ? null : def.max();
            }
        }
        if (type == null) {
            type = OptionType.ANY;
        }
        String dflt = map.defaultValue(key);
        if (dflt.isEmpty() && def != null && !def.defaultValue().contains("{{")) {
            dflt = def.defaultValue();
        }
        Set<String> types = new LinkedHashSet<>();
        Set<String> alias = new LinkedHashSet<>();
        boolean client = false;
        for (VolOptEntry e : entries) {
            client |= e.clientOption();
            if (!NO_XLATOR.contains(e.voltype())) {
                types.add(e.voltype());
                if (!e.special()) {
                    alias.add(e.voltype().substring(e.voltype().indexOf('/') + 1) + "." + e.option());
                }
            }
        }
        if (def != null) {
            for (VolOptEntry e : entries) {
                if (!e.special() && !NO_XLATOR.contains(e.voltype()) && def.named(e.option())) {
                    String xl = e.voltype().substring(e.voltype().indexOf('/') + 1);
                    def.keys().forEach(k -> alias.add(xl + "." + k));
                }
            }
        }
        alias.remove(key);
        VolOptEntry first = entries.get(0);
        return new OptionSpec(key, List.copyOf(alias), List.copyOf(types), first.special() ? "" : first.option(), type,
                Optional.ofNullable(min), Optional.ofNullable(max), values, dflt, OpVersion.of(Math.max(1, first.opVersion())),
                side(types, client), def == null ? "" : def.description());
    }

    private static OptionSide side(Set<String> types, boolean client) {
        boolean brick = types.stream().anyMatch(t -> BRICK_TYPES.contains(t) || BOTH_TYPES.contains(t));
        boolean both = types.stream().anyMatch(BOTH_TYPES::contains);
        if (types.isEmpty() || types.stream().allMatch(CLUSTER_TYPES::contains)) {
            return OptionSide.CLUSTER;
        }
        if (both || (brick && client)) {
            return OptionSide.BOTH;
        }
        return brick ? OptionSide.BRICK : OptionSide.CLIENT;
    }

    private static Map<String, String[]> readKeyRules() {
        Map<String, String[]> out = new HashMap<>();
        for (String line : lines(RES + "key-rules.tsv")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] f = line.split("\t", -1);
                out.put(f[0], f);
            }
        }
        return out;
    }

    private static Map<String, Map<String, String>> builtinGroups() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String name : lines(RES + "groups/INDEX")) {
            if (name.isBlank()) {
                continue;
            }
            Map<String, String> g = new LinkedHashMap<>();
            for (String line : lines(RES + "groups/" + name.trim())) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    g.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            out.put(name.trim(), Collections.unmodifiableMap(g));
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<String> lines(String resource) {
        try (InputStream in = GlusterOptionCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the gd-volgen jar");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<OptionSpec> find(String key) {
        if (key == null) {
            return Optional.empty();
        }
        OptionSpec s = specs.get(key);
        if (s == null) {
            String canonical = aliases.get(key);
            s = canonical == null ? null : specs.get(canonical);
        }
        return Optional.ofNullable(s);
    }

    @Override
    public Set<String> keys() {
        return specs.keySet();
    }

    @Override
    public Map<String, String> validate(Map<String, String> options, VolumeType volumeType) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if ("group".equals(e.getKey())) {
                for (Map.Entry<String, String> g : group(e.getValue()).entrySet()) {
                    put(out, g.getKey(), validateOne(g.getKey(), g.getValue(), volumeType));
                }
            } else {
                String key = e.getKey();
                String canonical = key != null && key.startsWith("user.") ? key : resolve(key);
                put(out, canonical, validateOne(canonical, e.getValue(), volumeType));
            }
        }
        for (String[] c : CONFLICTS) {
            String a = out.get(c[0]);
            String b = out.get(c[1]);
            if (GlusterBoolean.isTrue(a) && GlusterBoolean.isTrue(b)) {
                throw GdException.invalid("option " + c[0] + "=" + a + " conflicts with " + c[1] + "=" + b + ": " + c[2],
                        "turn one of " + c[0] + " and " + c[1] + " off");
            }
        }
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        out.remove(key);
        out.put(key, value);
    }

    private String resolve(String key) {
        if (key == null || key.isEmpty()) {
            throw GdException.invalid("an option key is empty", "give keys such as performance.cache-size");
        }
        return find(key).map(OptionSpec::key).orElseThrow(() -> {
            String near = nearest(key);
            return GdException.invalid("option " + VolfileSyntax.printable(key) + " does not exist"
                            + (near == null ? "" : "; did you mean " + near + "?"),
                    "use a key of the option catalog (" + specs.size() + " keys; for example "
                            + (near == null ? "performance.cache-size" : near) + "), a group, or a user.* key");
        });
    }

    private String validateOne(String key, String value, VolumeType volumeType) {
        if (value == null) {
            throw GdException.invalid("option " + key + " has no value", "give a value");
        }
        if (key.startsWith("user.")) {
            VolfileSyntax.requireWord(value, "value of option " + key);
            return value;
        }
        OptionSpec spec = specs.get(key);
        String why = VolfileSyntax.problem(value);
        if (why != null) {
            throw GdException.invalid("option " + key + " value '" + VolfileSyntax.printable(value)
                    + "' is not valid: " + why, "give " + ValueRules.describe(spec)
                    + " without white space, line breaks, '#', '\"' or volfile keywords");
        }
        Optional<String> bad = ValueRules.check(spec, value);
        if (bad.isPresent()) {
            throw GdException.invalid("option " + key + " value '" + value + "' is not valid: " + bad.get(),
                    key + " takes " + ValueRules.describe(spec));
        }
        layoutRule(key, volumeType);
        return value;
    }

    private void layoutRule(String key, VolumeType type) {
        if (type == null) {
            return;
        }
        boolean replicate = type == VolumeType.REPLICATE || type == VolumeType.DISTRIBUTED_REPLICATE;
        boolean disperse = type == VolumeType.DISPERSE || type == VolumeType.DISTRIBUTED_DISPERSE;
        for (VolOptEntry e : map.entries(key)) {
            String fn = e.validateFn();
            if (fn.startsWith("validate_replica") && !replicate) {
                throw GdException.invalid("Cannot set " + key + " for a non-replicate volume (this volume is "
                        + type.displayName() + ")", key + " only applies to replicate volumes");
            }
            if (fn.startsWith("validate_disperse") && !disperse) {
                throw GdException.invalid("Cannot set " + key + " for a non-disperse volume (this volume is "
                        + type.displayName() + ")", key + " only applies to disperse volumes");
            }
        }
    }

    private String nearest(String key) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : specs.keySet()) {
            int d = distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(3, key.length() / 4) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    @Override
    public OpVersion opVersion(String key) {
        return find(key).map(OptionSpec::opVersion).orElseThrow(() -> GdException.invalid(
                "option " + VolfileSyntax.printable(key) + " does not exist", "use a key of the option catalog"));
    }

    @Override
    public Set<String> groups() {
        return groups.keySet();
    }

    @Override
    public Map<String, String> group(String name) {
        Map<String, String> g = groups.get(name);
        if (g == null) {
            throw GdException.invalid("option group '" + VolfileSyntax.printable(name) + "' does not exist",
                    "use one of " + String.join(", ", groups.keySet()));
        }
        return g;
    }

    @Override
    public Map<String, String> createDefaults(VolumeType volumeType) {
        Map<String, String> d = new LinkedHashMap<>();
        if (volumeType == VolumeType.REPLICATE || volumeType == VolumeType.DISTRIBUTED_REPLICATE) {
            d.put("cluster.granular-entry-heal", "on");
        }
        d.put("storage.fips-mode-rchecksum", "on");
        d.put("transport.address-family", "inet");
        d.put("nfs.disable", "on");
        if (volumeType == VolumeType.REPLICATE || volumeType == VolumeType.DISTRIBUTED_REPLICATE) {
            d.put("performance.client-io-threads", "off");
        }
        return Collections.unmodifiableMap(d);
    }

    /** Every option spec by canonical key (for documentation and tools). */
    public Map<String, OptionSpec> specs() {
        return specs;
    }

    /** Entries of the map whose translator has no option of that name in the tables (for reports). */
    public List<String> keysWithoutTableRule() {
        List<String> out = new ArrayList<>();
        specs.values().stream().filter(s -> s.type() == OptionType.ANY && s.allowedValues().isEmpty())
                .forEach(s -> out.add(s.key()));
        return out;
    }
}
