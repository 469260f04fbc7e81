package dev.gdkit.volgen.catalog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolOptMapTest {
    private static VolOptMap parse(String tsv) throws IOException {
        return VolOptMap.parse(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEntriesExpandsMacrosAndDerivesOptionNames() throws IOException {
        VolOptMap m = parse("key\tvoltype\toption\tvalue\top_version\ttype\tflags\tvalidate_fn\n"
                + "a.b-c\tx/y\t\t\t3\t\tVOLOPT_FLAG_CLIENT_OPT\t\n\n"
                + "VKEY_MARKER_XTIME\tfeatures/marker\t!xtime\toff\t1\tNO_DOC\t\t\n"
                + "a.b-c\tx/z\tother\tTOSTRINGBARRIER_TIMEOUT\t4\tGLOBAL_DOC\t\tvalidate_boolean\n");
        assertThat(m.keys()).containsExactly("a.b-c", "geo-replication.indexing");
        assertThat(m.entries("a.b-c")).hasSize(2);
        VolOptEntry first = m.entries("a.b-c").get(0);
        assertThat(first.option()).isEqualTo("b-c");
        assertThat(first.clientOption()).isTrue();
        assertThat(first.special()).isFalse();
        assertThat(m.entries("a.b-c").get(1).global()).isTrue();
        assertThat(m.defaultValue("a.b-c")).isEqualTo("120");
        assertThat(m.entries("geo-replication.indexing").get(0).special()).isTrue();
        assertThat(m.defaultValue("nope")).isEmpty();
        assertThat(VolOptMap.builtin().entries()).hasSize(395);
    }

    @Test
    void refusesShortLines() {
        assertThatThrownBy(() -> parse("header\na\tb\n")).isInstanceOf(IOException.class).hasMessageContaining("line 2 has 2 columns");
    }
}
