package dev.gdkit.volgen.spec;

import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.volgen.TestVolumes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecReaderTest {
    private static final String B3 = "[{'host':'h1','path':'/b/1'},{'host':'h2','path':'/b/2'},{'host':'h3','path':'/b/3'}]";

    @Test
    void buildsTheVolumeWithGlusterdDefaults() {
        Volume v = TestVolumes.volume("{'name':'a','create':'replica 3 arbiter 1','bricks':" + B3
                + ",'options':{'network.ping-timeout':'10'}}");
        assertThat(v.type()).isEqualTo(VolumeType.REPLICATE);
        assertThat(v.bricks()).extracting(b -> b.type()).containsExactly(BrickType.BRICK, BrickType.BRICK, BrickType.ARBITER);
        assertThat(v.subvolumes().get(0).arbiterCount()).isEqualTo(1);
        assertThat(v.options()).containsEntry("performance.client-io-threads", "off").containsEntry("network.ping-timeout", "10");
        assertThat(v.id()).isEqualTo("vid-1");
        Volume again = TestVolumes.volume("{'name':'a','create':'replica 3 arbiter 1','bricks':" + B3
                + ",'options':{'network.ping-timeout':'10'}}");
        assertThat(again).isEqualTo(v);
        assertThat(TestVolumes.volume("{'name':'d','create':'disperse 3','bricks':" + B3 + "}").type())
                .isEqualTo(VolumeType.DISPERSE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "{'name':'a','bricks':" + B3 + ",'colour':'red'}|the spec is not valid: Unrecognized field",
        "{'name':'a','bricks':|the spec is not valid",
        "null|the spec is empty",
        "{'name':'a','bricks':[null]}|a brick entry is null",
        "{'name':'a','bricks':[]}|has no bricks",
        "{'name':'a','bricks':[{'host':'h1','path':'/b'},{'host':'h1','path':'/b'}]}|Found duplicate exports h1:/b",
        "{'name':'a','bricks':[{'host':'h1','path':'b'}]}|brick path 'b' on h1 is not absolute",
        "{'name':'a','bricks':[{'host':'h 1','path':'/b'}]}|brick host 'h 1' is not a valid host name",
        "{'name':'a','bricks':[{'host':'h1','path':'/b//c'}]}|is not in normal form",
        "{'name':'a','bricks':[{'host':'h1','path':'/b/../c'}]}|is not in normal form",
        "{'name':'all','bricks':[{'host':'h1','path':'/b'}]}|\"all\" cannot be the name of a volume",
        "{'name':'-a','bricks':[{'host':'h1','path':'/b'}]}|starts with '-'",
        "{'name':'','bricks':[{'host':'h1','path':'/b'}]}|the volume name is empty",
        "{'name':'a','create':'replica 3','bricks':[{'host':'h1','path':'/b'}]}|number of bricks (1) is not a multiple of replica count 3",
        "{'name':'a','bricks':[{'host':'h1','path':'/b'}],'options':{'nope.nope':'1'}}|option nope.nope does not exist",
    })
    void refusesBadSpecs(String json, String message) {
        assertThatThrownBy(() -> TestVolumes.volume(json)).hasMessageContaining(message);
    }
}
