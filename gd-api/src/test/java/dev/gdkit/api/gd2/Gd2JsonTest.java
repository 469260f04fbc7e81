package dev.gdkit.api.gd2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Gd2JsonTest {
    private final Gd2Json json = new Gd2Json();

    private static String resource(String name) throws Exception {
        try (InputStream in = Gd2JsonTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsGlusterd2sVolumeCreateRequest() throws Exception {
        VolCreateRequest r = json.read(resource("/gd2/volume-create-request.json"), VolCreateRequest.class);
        assertThat(r.name()).isEqualTo("rep3");
        assertThat(r.transport()).isEqualTo("tcp");
        assertThat(r.subvols()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("replicate");
            assertThat(s.replica()).isEqualTo(3);
            assertThat(s.bricks()).extracting(BrickRequest::type).containsExactly("brick", null, "arbiter");
            assertThat(s.bricks().get(0).peerId()).endsWith("0a01");
        });
        assertThat(r.options()).containsEntry("replicate.eager-lock", "on");
        assertThat(r.allowAdvancedOptions()).isTrue();
        assertThat(r.flag("create-brick-dir")).isTrue();
        assertThat(r.flag("reuse-bricks")).isFalse();
        assertThat(r.metadata()).containsEntry("owner", "x");
    }

    @Test
    void acceptsOlderClientsFlagNames() {
        VolCreateRequest r = json.read("{\"name\":\"v\",\"subvols\":[],\"advanced\":true,\"experimental\":true}", VolCreateRequest.class);
        assertThat(r.allowAdvancedOptions()).isTrue();
        assertThat(r.allowExperimentalOptions()).isTrue();
        assertThat(r.transport()).isEqualTo("tcp");
    }

    @Test
    void malformedJsonIsAClearInvalidArgument() {
        assertThatThrownBy(() -> json.read("{\"name\": ", VolCreateRequest.class))
                .isInstanceOfSatisfying(GdException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("VolCreateRequest").contains("line 1");
                });
        assertThatThrownBy(() -> json.read("{\"name\": \"v\", \"replica\": \"three\", \"subvols\": [{\"replica\": \"three\"}]}",
                VolCreateRequest.class)).isInstanceOfSatisfying(GdException.class, e -> assertThat(e.getMessage()).contains("three"));
    }

    @Test
    void writesVolumeInfoWithGlusterd2sFieldNames() throws Exception {
        NodeId n1 = NodeId.of("n1");
        List<Brick> bricks = List.of(new Brick("b1", n1, "h1", "/b/1", BrickType.BRICK),
                new Brick("b2", NodeId.of("n2"), "h2", "/b/2", BrickType.BRICK),
                new Brick("b3", NodeId.of("n3"), "h3", "/b/3", BrickType.ARBITER));
        Volume v = new Volume("vid", "rep3", VolumeType.REPLICATE, "tcp",
                List.of(new Subvolume("rep3-replicate-0", SubvolumeType.REPLICATE, bricks, 3, 1, 0, 0)),
                Map.of("performance.readdir-ahead", "off"), VolumeState.STARTED, Map.of("owner", "x"));

        JsonNode node = new ObjectMapper().readTree(json.write(VolumeInfo.of(v)));

        assertThat(node.get("id").asText()).isEqualTo("vid");
        assertThat(node.get("type").asText()).isEqualTo("Replicate");
        assertThat(node.get("state").asText()).isEqualTo("Started");
        assertThat(node.get("distribute-count").asInt()).isEqualTo(1);
        assertThat(node.get("replica-count").asInt()).isEqualTo(3);
        assertThat(node.get("arbiter-count").asInt()).isEqualTo(1);
        JsonNode brick = node.get("subvols").get(0).get("bricks").get(2);
        assertThat(brick.get("peer-id").asText()).isEqualTo("n3");
        assertThat(brick.get("volume-id").asText()).isEqualTo("vid");
        assertThat(brick.get("volume-name").asText()).isEqualTo("rep3");
        assertThat(brick.get("host").asText()).isEqualTo("h3");
        assertThat(brick.get("type").asText()).isEqualTo("Arbiter");
        assertThat(node.get("subvols").get(0).get("type").asText()).isEqualTo("Replicate");
        assertThat(node.get("options").get("performance.readdir-ahead").asText()).isEqualTo("off");
        // and it reads back
        assertThat(json.read(json.write(VolumeInfo.of(v)), VolumeInfo.class)).isEqualTo(VolumeInfo.of(v));
    }

    @Test
    void errorResponseHasTheGlusterd2ShapeWithOneEntryPerNode() throws Exception {
        GdException e = new GdException(ErrorCode.STEP_FAILED, "volume-create failed", "fix the brick",
                List.of(new NodeError("n2", "vol-create.prepare-bricks", ErrorCode.INVALID_ARGUMENT, "brick dir is on /", "use a mount")),
                null);
        JsonNode node = new ObjectMapper().readTree(json.write(ErrorResponse.of(e)));
        assertThat(node.get("errors")).hasSize(2);
        assertThat(node.get("errors").get(0).get("code").asInt()).isEqualTo(ErrorCode.STEP_FAILED.number());
        assertThat(node.get("errors").get(0).get("fields").get("remedy").asText()).isEqualTo("fix the brick");
        JsonNode nodeErr = node.get("errors").get(1).get("fields");
        assertThat(nodeErr.get("peer-id").asText()).isEqualTo("n2");
        assertThat(nodeErr.get("step").asText()).isEqualTo("vol-create.prepare-bricks");
        assertThat(nodeErr.get("error").asText()).isEqualTo("brick dir is on /");
    }
}
