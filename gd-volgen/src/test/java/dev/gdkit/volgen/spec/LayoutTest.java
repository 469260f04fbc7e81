package dev.gdkit.volgen.spec;

import dev.gdkit.api.error.GdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LayoutTest {

    @Test
    void parsesCreateFlags() {
        assertThat(Layout.parse("")).isEqualTo(new Layout(0, 0, 0, 0, "tcp"));
        assertThat(Layout.parse("replica 3 arbiter 1")).isEqualTo(new Layout(3, 1, 0, 0, "tcp"));
        assertThat(Layout.parse("replica 2 arbiter 1").replica()).isEqualTo(3);
        assertThat(Layout.parse("disperse 6 redundancy 2")).isEqualTo(new Layout(0, 0, 6, 2, "tcp"));
        assertThat(Layout.parse("disperse 6").redundancy()).isEqualTo(2);
        assertThat(Layout.parse("disperse 7").redundancy()).isEqualTo(3);
        assertThat(Layout.parse("disperse 4").redundancy()).isEqualTo(1);
        assertThat(Layout.parse("disperse-data 4 redundancy 2").disperse()).isEqualTo(6);
        assertThat(Layout.parse("disperse 6 disperse-data 4").redundancy()).isEqualTo(2);
        assertThat(Layout.parse("replica 2 transport rdma").transport()).isEqualTo("rdma");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "replica 1|replica count should be greater than 1",
        "replica 0|replica count should be greater than 1",
        "replica 4 arbiter 1|For arbiter configuration, replica count must be 2 and arbiter count must be 1",
        "replica 3 arbiter 2|For arbiter configuration",
        "disperse 2|disperse count should be greater than 2",
        "disperse 4 redundancy 2|redundancy must be greater than or equal to 1 and less than 2 for a disperse 4 volume",
        "disperse 6 redundancy 0|redundancy must be greater than or equal to 1",
        "disperse 6 disperse-data 3 redundancy 2|do not add up to disperse 6",
        "replica 3 disperse 3|replicated-dispersed volume is not supported",
        "stripe 2|'stripe' volumes are not supported",
        "thin-arbiter 1|'thin-arbiter' volumes are not supported",
        "mirror 2|unknown create flag 'mirror'",
        "replica|'replica' needs a value",
        "replica three|replica count 'three' is not a number",
        "transport udp|transport 'udp' is not tcp or rdma",
    })
    void refusesBadLayoutsNamingTheRule(String flags, String message) {
        assertThatThrownBy(() -> Layout.parse(flags)).isInstanceOf(GdException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((GdException) e).remedy()).isNotEmpty());
    }

    @Test
    void brickCountMustFitTheLayout() {
        assertThatThrownBy(() -> Layout.parse("replica 3").checkBrickCount(4))
                .hasMessage("brick layout rule: number of bricks (4) is not a multiple of replica count 3");
        assertThatThrownBy(() -> Layout.parse("disperse 6 redundancy 2").checkBrickCount(9))
                .hasMessage("brick layout rule: number of bricks (9) is not a multiple of disperse count 6");
        assertThatThrownBy(() -> Layout.parse("").checkBrickCount(0)).hasMessageContaining("at least one brick");
        Layout.parse("replica 3").checkBrickCount(6);
        Layout.parse("").checkBrickCount(5);
    }
}
