package dev.gdkit.volgen.catalog;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.volgen.OptionSide;
import dev.gdkit.core.volgen.OptionSpec;
import dev.gdkit.core.volgen.OptionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlusterOptionCatalogTest {
    private static final GlusterOptionCatalog CATALOG = GlusterOptionCatalog.builtin();

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void coversEveryKeyOfTheGlusterd105Map() throws IOException {
        Set<String> tsvKeys = new TreeSet<>();
        try (InputStream in = getClass().getResourceAsStream("/dev/gdkit/volgen/volopt-map.tsv")) {
            assertThat(in).isNotNull();
            VolOptMap.parse(in).entries().forEach(e -> tsvKeys.add(e.key()));
        }
        assertThat(tsvKeys).hasSize(389);
        assertThat(CATALOG.keys()).containsAll(tsvKeys);
        for (String k : tsvKeys) {
            OptionSpec s = CATALOG.find(k).orElseThrow();
            assertThat(s.opVersion().value()).as(k).isPositive();
            assertThat(s.side()).as(k).isNotNull();
        }
        assertThat(CATALOG.find("geo-replication.indexing")).isPresent();
    }

    @Test
    void carriesRulesFromTheTranslatorTables() {
        OptionSpec ping = CATALOG.find("network.ping-timeout").orElseThrow();
        assertThat(ping.type()).isEqualTo(OptionType.TIME);
        assertThat(ping.min()).contains(0.0);
        assertThat(ping.max()).contains(1013.0);
        assertThat(ping.defaultValue()).isEqualTo("42");
        assertThat(ping.side()).isEqualTo(OptionSide.CLIENT);
        OptionSpec quorum = CATALOG.find("cluster.quorum-type").orElseThrow();
        assertThat(quorum.allowedValues()).containsExactly("none", "auto", "fixed");
        assertThat(quorum.aliases()).contains("replicate.quorum-type");
        assertThat(CATALOG.find("performance.cache-size").orElseThrow().xlatorTypes())
                .containsExactly("performance/io-cache", "performance/quick-read");
        assertThat(CATALOG.find("performance.io-thread-count").orElseThrow().side()).isEqualTo(OptionSide.BOTH);
        assertThat(CATALOG.find("features.trash").orElseThrow().side()).isEqualTo(OptionSide.BRICK);
        assertThat(CATALOG.find("features.read-only").orElseThrow().side()).isEqualTo(OptionSide.BOTH);
        assertThat(CATALOG.find("cluster.brick-multiplex").orElseThrow().side()).isEqualTo(OptionSide.CLUSTER);
        assertThat(CATALOG.opVersion("cluster.use-anonymous-inode")).isEqualTo(OpVersion.of(90000));
        assertThat(CATALOG.tablesSource()).contains("glusterfs");
    }

    @Test
    void findsAliasesAndShortNames() {
        assertThat(CATALOG.find("ping-timeout").orElseThrow().key()).isEqualTo("network.ping-timeout");
        assertThat(CATALOG.find("replicate.eager-lock").orElseThrow().key()).isEqualTo("cluster.eager-lock");
        assertThat(CATALOG.find("io-threads.thread-count").orElseThrow().key()).isEqualTo("performance.io-thread-count");
        assertThat(CATALOG.find("io-cache.force-revalidate-timeout").orElseThrow().key())
                .as("a second name from io-cache's own option table").isEqualTo("performance.cache-refresh-timeout");
        assertThat(CATALOG.find("no.such-key")).isEmpty();
        assertThat(CATALOG.find("eager-lock")).as("ambiguous: cluster.eager-lock and disperse.eager-lock").isEmpty();
        assertThat(CATALOG.find("disperse.eager-lock").orElseThrow().xlatorTypes()).containsExactly("cluster/disperse");
        assertThat(CATALOG.find(null)).isEmpty();
        assertThat(CATALOG.validate(opts("ping-timeout", "10"), VolumeType.REPLICATE))
                .containsExactly(Map.entry("network.ping-timeout", "10"));
    }

    @Test
    void validateReturnsCanonicalKeysInOrderAndLaterKeysWin() {
        Map<String, String> out = CATALOG.validate(opts("performance.cache-size", "256MB", "group", "virt",
                "network.ping-timeout", "10", "user.note", "x"), VolumeType.REPLICATE);
        assertThat(out.keySet()).startsWith("performance.cache-size", "performance.quick-read");
        assertThat(out).containsEntry("network.ping-timeout", "10").containsEntry("features.shard", "on")
                .containsEntry("user.note", "x");
        assertThat(out.keySet()).endsWith("network.ping-timeout", "user.note");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "network.ping-timeout|5000|above the maximum 1013",
        "network.ping-timeout|soon|is not a time",
        "cluster.quorum-type|bogus|not one of the allowed values",
        "performance.write-behind|maybe|not a boolean",
        "performance.io-thread-count|many|not an integer",
        "performance.io-thread-count|0|below the minimum 1",
        "performance.cache-size|1KB|below the minimum",
        "performance.cache-size|12XB|not a size",
        "cluster.min-free-disk|120%|out of range [0 - 100]",
        "features.shard-block-size|1MB|below the minimum 4194304",
        "storage.reserve|abc|is not a size",
        "storage.reserve|101%|out of range [0 - 100]",
        "auth.allow|a;b|is not a host name",
        "cluster.server-quorum-ratio|101|out of range",
        "diagnostics.brick-log-level|LOUD|not one of the allowed values",
    })
    void refusesInvalidValuesNamingKeyValueWhyAndWhatIsAllowed(String key, String value, String why) {
        assertThatThrownBy(() -> CATALOG.validate(opts(key, value), VolumeType.REPLICATE))
                .isInstanceOf(GdException.class)
                .hasMessageContaining("option " + key + " value '" + value + "' is not valid: ")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((GdException) e).remedy()).startsWith(key + " takes "));
    }

    @Test
    void acceptsGlusterSpellings() {
        assertThat(CATALOG.validate(opts("performance.write-behind", "Enable", "network.ping-timeout", "2m",
                "performance.cache-size", "1GB", "cluster.min-free-disk", "10%", "cluster.quorum-type", "AUTO",
                "auth.allow", "192.168.1.*,10.0.0.0/8"), VolumeType.REPLICATE)).hasSize(6);
    }

    @Test
    void refusesUnknownKeysWithASuggestion() {
        assertThatThrownBy(() -> CATALOG.validate(opts("performance.cach-size", "1GB"), null))
                .hasMessage("option performance.cach-size does not exist; did you mean performance.cache-size?");
        assertThatThrownBy(() -> CATALOG.validate(opts("zzz", "1"), null)).hasMessage("option zzz does not exist");
        assertThatThrownBy(() -> CATALOG.validate(opts("", "1"), null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> CATALOG.opVersion("nope.nope")).hasMessageContaining("does not exist");
    }

    @Test
    void refusesConflictingOptions() {
        assertThatThrownBy(() -> CATALOG.validate(opts("features.read-only", "on", "features.worm", "enable"), null))
                .hasMessageContaining("features.read-only=on conflicts with features.worm=enable")
                .satisfies(e -> assertThat(((GdException) e).remedy()).contains("off"));
        assertThatThrownBy(() -> CATALOG.validate(opts("features.worm-file-level", "on", "features.read-only", "yes"), null))
                .hasMessageContaining("conflicts");
        assertThat(CATALOG.validate(opts("features.read-only", "on", "features.worm", "off"), null)).hasSize(2);
    }

    @Test
    void appliesLayoutRules() {
        assertThatThrownBy(() -> CATALOG.validate(opts("cluster.data-self-heal", "off"), VolumeType.DISTRIBUTE))
                .hasMessageContaining("Cannot set cluster.data-self-heal for a non-replicate volume");
        assertThatThrownBy(() -> CATALOG.validate(opts("disperse.shd-max-threads", "4"), VolumeType.REPLICATE))
                .hasMessageContaining("non-disperse volume");
        assertThat(CATALOG.validate(opts("cluster.data-self-heal", "off"), VolumeType.DISTRIBUTED_REPLICATE)).hasSize(1);
    }

    @Test
    void groups() {
        assertThat(CATALOG.groups()).contains("virt", "db-workload", "metadata-cache", "nl-cache", "gluster-block", "samba");
        assertThat(CATALOG.group("virt")).containsEntry("features.shard", "on").hasSize(25);
        assertThatThrownBy(() -> CATALOG.group("fast")).hasMessageContaining("option group 'fast' does not exist")
                .satisfies(e -> assertThat(((GdException) e).remedy()).contains("virt"));
        assertThatThrownBy(() -> CATALOG.validate(opts("group", "virt"), VolumeType.DISTRIBUTE))
                .hasMessageContaining("non-replicate");
    }

    @Test
    void refusesValuesThatWouldBreakAVolfile() {
        for (String v : new String[] {"10\nend-volume", "10 #x", "end-volume", "a\tb"}) {
            assertThatThrownBy(() -> CATALOG.validate(opts("network.ping-timeout", v), null))
                    .hasMessageStartingWith("option network.ping-timeout value '");
        }
        assertThatThrownBy(() -> CATALOG.validate(opts("user.note", "a\nvolume x"), null))
                .hasMessageContaining("value of option user.note");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("network.ping-timeout", null);
        assertThatThrownBy(() -> CATALOG.validate(nullValue, null)).hasMessageContaining("has no value");
    }

    @Test
    void createDefaultsFollowGlusterd() {
        assertThat(CATALOG.createDefaults(VolumeType.REPLICATE)).containsEntry("performance.client-io-threads", "off")
                .containsEntry("cluster.granular-entry-heal", "on").containsEntry("transport.address-family", "inet");
        assertThat(CATALOG.createDefaults(VolumeType.DISPERSE)).doesNotContainKey("performance.client-io-threads")
                .containsEntry("storage.fips-mode-rchecksum", "on").containsEntry("nfs.disable", "on");
    }
}
