package dev.gdkit.volgen.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class XlatorLibraryReaderTest {

    private static Path installed() {
        Optional<Path> dir = XlatorLibraryReader.findInstalled();
        assumeTrue(dir.isPresent(), "GlusterFS is not installed (no " + XlatorLibraryReader.DEFAULT_ROOTS
                + "/<version>/xlator); install Debian's glusterfs-server to run this test");
        return dir.get();
    }

    @Test
    void readsTheOptionTablesOfAnInstalledGlusterfs() throws IOException {
        XlatorTables t = new XlatorLibraryReader().readAll(installed());
        XlatorOptionDef ping = t.find("protocol/client", "ping-timeout").orElseThrow();
        assertThat(ping.type()).isEqualTo("TIME");
        assertThat(ping.max()).isEqualTo(1013.0);
        assertThat(ping.defaultValue()).isEqualTo("42");
        assertThat(t.find("protocol/client", "transport.socket.keepalive-count")).as("socket options injected").isPresent();
        assertThat(t.find("cluster/replicate", "quorum-type").orElseThrow().values()).containsExactly("none", "auto", "fixed");
        assertThat(t.tables()).containsKeys("performance/io-cache", "features/shard", "storage/posix");
    }

    @Test
    void builtinCatalogResourceMatchesWhatTheGeneratorProducesFromThisGlusterfs() throws IOException {
        Path dir = installed();
        XlatorTables fresh = new XlatorLibraryReader().readAll(dir);
        XlatorTables builtin = XlatorTables.builtin();
        assumeTrue(builtin.version().equals(fresh.version()),
                "installed GlusterFS " + fresh.version() + " differs from the built-in catalog's " + builtin.version());
        assertThat(fresh.tables()).isEqualTo(builtin.tables());
    }

    @Test
    void catalogPrefersTheInstalledTables() {
        Path dir = installed();
        GlusterOptionCatalog c = GlusterOptionCatalog.fromInstalledOrBuiltin();
        assertThat(c.tablesSource()).isEqualTo(dir.toString());
        assertThat(c.find("network.ping-timeout").orElseThrow().max()).contains(1013.0);
    }

    @Test
    void tablesSurviveTheirJsonForm() throws IOException {
        XlatorTables builtin = XlatorTables.builtin();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        builtin.write(out);
        XlatorTables again = XlatorTables.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(again).isEqualTo(builtin);
        assertThat(again.find("performance/io-cache", "cache-size").orElseThrow().max()).isInfinite();
    }

    @Test
    void refusesFilesThatAreNotElf(@TempDir Path tmp) throws IOException {
        Path junk = tmp.resolve("junk.so");
        Files.writeString(junk, "not an elf file at all, but long enough to have a header of sixty-four bytes....");
        assertThatThrownBy(() -> new XlatorLibraryReader().read(junk)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a 64-bit little-endian ELF");
    }

    @Test
    void skipsUnreadableLibrariesInADirectory(@TempDir Path tmp) throws IOException {
        Path xl = tmp.resolve("10.9").resolve("xlator").resolve("features");
        Files.createDirectories(xl);
        Files.writeString(xl.resolve("broken.so"), "x");
        XlatorTables t = new XlatorLibraryReader().readAll(xl.getParent());
        assertThat(t.tables()).isEmpty();
        assertThat(t.version()).isEqualTo("10.9");
    }
}
