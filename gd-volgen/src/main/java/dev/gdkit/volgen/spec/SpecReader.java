package dev.gdkit.volgen.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import dev.gdkit.core.volgen.OptionCatalog;
import dev.gdkit.volgen.VolumeChecks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a corpus-format {@code spec.json} into a {@link Volume}, applying glusterd's create rules
 * (layout flags, brick count, duplicate bricks, names), its create-time default options and the
 * catalog's option validation. Thread-safe.
 */
public final class SpecReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final OptionCatalog catalog;

    public SpecReader(OptionCatalog catalog) {
        this.catalog = catalog;
    }

    /** Parses spec JSON. @throws GdException when it is not a valid spec document */
    public VolumeSpec parse(String json) {
        try {
            VolumeSpec s = JSON.readValue(json, VolumeSpec.class);
            if (s == null) {
                throw GdException.invalid("the spec is empty", "give a JSON object with name, create, bricks and options");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw GdException.invalid("the spec is not valid: " + e.getOriginalMessage()
                            + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"),
                    "give a JSON object {\"name\": ..., \"create\": \"replica 3\", \"bricks\": [{\"host\": ..., \"path\": ...}], "
                            + "\"options\": {\"key\": \"value\"}} with string option values");
        }
    }

    /**
     * The volume for a spec. Ids are derived from the volume name unless {@code volumeId} is given,
     * so the same spec always gives the same volume.
     */
    public Volume toVolume(VolumeSpec spec, String volumeId) {
        VolumeChecks.checkVolumeName(spec.name());
        Layout layout = Layout.parse(spec.create());
        if (spec.bricks().isEmpty()) {
            throw GdException.invalid("volume " + spec.name() + " has no bricks", "give at least one brick");
        }
        for (VolumeSpec.BrickSpec b : spec.bricks()) {
            if (b == null) {
                throw GdException.invalid("a brick entry is null", "give each brick as {\"host\": ..., \"path\": ...}");
            }
            VolumeChecks.checkBrick(b.host(), b.path());
        }
        layout.checkBrickCount(spec.bricks().size());
        String id = volumeId != null ? volumeId
                : UUID.nameUUIDFromBytes(("volume:" + spec.name()).getBytes(StandardCharsets.UTF_8)).toString();
        int size = layout.setSize();
        int sets = spec.bricks().size() / size;
        VolumeType type = layout.replica() > 0 ? (sets > 1 ? VolumeType.DISTRIBUTED_REPLICATE : VolumeType.REPLICATE)
                : layout.disperse() > 0 ? (sets > 1 ? VolumeType.DISTRIBUTED_DISPERSE : VolumeType.DISPERSE)
                : VolumeType.DISTRIBUTE;
        List<Subvolume> subvols = new ArrayList<>();
        if (type == VolumeType.DISTRIBUTE) {
            subvols.add(new Subvolume(spec.name() + "-dht", SubvolumeType.DISTRIBUTE,
                    bricks(spec, 0, spec.bricks().size(), 0), 0, 0, 0, 0));
        } else {
            for (int s = 0; s < sets; s++) {
                boolean rep = layout.replica() > 0;
                subvols.add(new Subvolume(spec.name() + (rep ? "-replicate-" : "-disperse-") + s,
                        rep ? SubvolumeType.REPLICATE : SubvolumeType.DISPERSE,
                        bricks(spec, s * size, size, layout.arbiter()), rep ? layout.replica() : 0, layout.arbiter(),
                        rep ? 0 : layout.disperse(), rep ? 0 : layout.redundancy()));
            }
        }
        Map<String, String> options = new LinkedHashMap<>(catalog.createDefaults(type));
        options.putAll(catalog.validate(spec.orderedOptions(), type));
        Volume v = new Volume(id, spec.name(), type, layout.transport(), subvols, options, VolumeState.CREATED, Map.of());
        VolumeChecks.checkVolume(v);
        return v;
    }

    private static List<Brick> bricks(VolumeSpec spec, int from, int count, int arbiters) {
        List<Brick> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            VolumeSpec.BrickSpec b = spec.bricks().get(i);
            boolean arbiter = arbiters > 0 && i == from + count - 1;
            String id = UUID.nameUUIDFromBytes(("brick:" + spec.name() + ":" + b.host() + ":" + b.path())
                    .getBytes(StandardCharsets.UTF_8)).toString();
            out.add(new Brick(id, nodeOf(b.host()), b.host(), b.path(), arbiter ? BrickType.ARBITER : BrickType.BRICK));
        }
        return out;
    }

    /** The node of a host: the host itself when it is a valid node id, else a name-derived UUID. */
    static NodeId nodeOf(String host) {
        if (host.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            return NodeId.of(host);
        }
        return NodeId.of(UUID.nameUUIDFromBytes(("node:" + host).getBytes(StandardCharsets.UTF_8)).toString());
    }
}
