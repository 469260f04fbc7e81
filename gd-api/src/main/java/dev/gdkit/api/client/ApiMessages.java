package dev.gdkit.api.client;

import dev.gdkit.api.client.proto.BrickMsg;
import dev.gdkit.api.client.proto.BrickSpec;
import dev.gdkit.api.client.proto.CreateVolumeRequest;
import dev.gdkit.api.client.proto.EventMsg;
import dev.gdkit.api.client.proto.JoinTokenMsg;
import dev.gdkit.api.client.proto.OpVersionMsg;
import dev.gdkit.api.client.proto.OptionValueMsg;
import dev.gdkit.api.client.proto.PeerMsg;
import dev.gdkit.api.client.proto.SubvolumeMsg;
import dev.gdkit.api.client.proto.SubvolumeSpec;
import dev.gdkit.api.client.proto.VolumeMsg;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.BrickRequest;
import dev.gdkit.api.gd2.SubvolRequest;
import dev.gdkit.api.gd2.VolCreateRequest;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.OpVersionRange;
import dev.gdkit.api.model.OptionValue;
import dev.gdkit.api.model.Peer;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.api.model.VolumeType;
import java.time.Instant;
import java.util.Arrays;

/**
 * Conversions between the model in {@code dev.gdkit.api.model} and the management API's protobuf
 * messages; both ends of the API use them, so a value survives the trip unchanged. Enum values
 * travel by name; an unknown name is refused with an {@code INVALID_ARGUMENT} error.
 */
public final class ApiMessages {
    private ApiMessages() {
    }

    public static PeerMsg toMsg(Peer p) {
        return PeerMsg.newBuilder().setId(p.id().value()).setName(p.name()).addAllAddresses(p.addresses())
                .setState(p.state().name()).setMinOpVersion(p.supported().min().value())
                .setMaxOpVersion(p.supported().max().value()).putAllMetadata(p.metadata()).build();
    }

    public static Peer fromMsg(PeerMsg m) {
        return new Peer(NodeId.of(m.getId()), m.getName(), m.getAddressesList(),
                enumValue(PeerState.class, "peer state", m.getState()),
                OpVersionRange.of(m.getMinOpVersion(), m.getMaxOpVersion()), m.getMetadataMap());
    }

    public static VolumeMsg toMsg(Volume v) {
        VolumeMsg.Builder b = VolumeMsg.newBuilder().setId(v.id()).setName(v.name()).setType(v.type().name())
                .setTransport(v.transport()).putAllOptions(v.options()).setState(v.state().name())
                .putAllMetadata(v.metadata());
        for (Subvolume s : v.subvolumes()) {
            SubvolumeMsg.Builder sb = SubvolumeMsg.newBuilder().setName(s.name()).setType(s.type().name())
                    .setReplicaCount(s.replicaCount()).setArbiterCount(s.arbiterCount())
                    .setDisperseCount(s.disperseCount()).setRedundancy(s.redundancy());
            for (Brick br : s.bricks()) {
                sb.addBricks(BrickMsg.newBuilder().setId(br.id()).setNode(br.node().value()).setHost(br.host())
                        .setPath(br.path()).setType(br.type().name()));
            }
            b.addSubvolumes(sb);
        }
        return b.build();
    }

    public static Volume fromMsg(VolumeMsg m) {
        return new Volume(m.getId(), m.getName(), enumValue(VolumeType.class, "volume type", m.getType()),
                m.getTransport(),
                m.getSubvolumesList().stream().map(s -> new Subvolume(s.getName(),
                        enumValue(SubvolumeType.class, "subvolume type", s.getType()),
                        s.getBricksList().stream().map(br -> new Brick(br.getId(), NodeId.of(br.getNode()),
                                br.getHost(), br.getPath(), enumValue(BrickType.class, "brick type", br.getType())))
                                .toList(),
                        s.getReplicaCount(), s.getArbiterCount(), s.getDisperseCount(), s.getRedundancy())).toList(),
                m.getOptionsMap(), enumValue(VolumeState.class, "volume state", m.getState()), m.getMetadataMap());
    }

    public static CreateVolumeRequest toMsg(VolCreateRequest r) {
        CreateVolumeRequest.Builder b = CreateVolumeRequest.newBuilder().setName(nullToEmpty(r.name()))
                .setTransport(r.transport()).putAllOptions(r.options())
                .setAllowAdvancedOptions(r.allowAdvancedOptions())
                .setAllowExperimentalOptions(r.allowExperimentalOptions())
                .setAllowDeprecatedOptions(r.allowDeprecatedOptions()).setForce(r.force())
                .putAllFlags(r.flags()).putAllMetadata(r.metadata()).setSize(r.size());
        for (SubvolRequest s : r.subvols()) {
            SubvolumeSpec.Builder sb = SubvolumeSpec.newBuilder().setType(nullToEmpty(s.type()))
                    .setReplica(s.replica()).setArbiter(s.arbiter()).setDisperseCount(s.disperseCount())
                    .setDisperseData(s.disperseData()).setDisperseRedundancy(s.disperseRedundancy());
            for (BrickRequest br : s.bricks()) {
                sb.addBricks(BrickSpec.newBuilder().setPeerId(nullToEmpty(br.peerId()))
                        .setPath(nullToEmpty(br.path())).setType(nullToEmpty(br.type())));
            }
            b.addSubvolumes(sb);
        }
        return b.build();
    }

    public static VolCreateRequest fromMsg(CreateVolumeRequest m) {
        return new VolCreateRequest(m.getName(), m.getTransport(),
                m.getSubvolumesList().stream().map(s -> new SubvolRequest(s.getType(),
                        s.getBricksList().stream().map(br -> new BrickRequest(br.getPeerId(), br.getPath(),
                                br.getType())).toList(),
                        s.getReplica(), s.getArbiter(), s.getDisperseCount(), s.getDisperseData(),
                        s.getDisperseRedundancy())).toList(),
                m.getOptionsMap(), m.getAllowAdvancedOptions(), m.getAllowExperimentalOptions(),
                m.getAllowDeprecatedOptions(), m.getForce(), m.getFlagsMap(), m.getMetadataMap(), m.getSize());
    }

    public static OptionValueMsg toMsg(OptionValue o) {
        return OptionValueMsg.newBuilder().setKey(o.key()).setValue(o.value()).setDefaultValue(o.defaultValue())
                .setIsDefault(o.isDefault()).setIntroducedIn(o.introducedIn().value()).build();
    }

    public static OptionValue fromMsg(OptionValueMsg m) {
        return new OptionValue(m.getKey(), m.getValue(), m.getDefaultValue(), m.getIsDefault(),
                OpVersion.of(m.getIntroducedIn()));
    }

    public static EventMsg toMsg(Event e) {
        return EventMsg.newBuilder().setId(e.id()).setName(e.name()).putAllData(e.data())
                .setOrigin(e.origin().value()).setEpochSecond(e.timestamp().getEpochSecond())
                .setNano(e.timestamp().getNano()).build();
    }

    public static Event fromMsg(EventMsg m) {
        return new Event(m.getId(), m.getName(), m.getDataMap(), NodeId.of(m.getOrigin()),
                Instant.ofEpochSecond(m.getEpochSecond(), m.getNano()));
    }

    public static OpVersionMsg toMsg(ClusterOpVersion v) {
        return OpVersionMsg.newBuilder().setCurrent(v.current().value()).setMaxAllowed(v.maxAllowed().value())
                .build();
    }

    public static ClusterOpVersion fromMsg(OpVersionMsg m) {
        return new ClusterOpVersion(OpVersion.of(m.getCurrent()), OpVersion.of(m.getMaxAllowed()));
    }

    public static JoinTokenMsg toMsg(JoinTokenInfo t) {
        return JoinTokenMsg.newBuilder().setToken(t.token()).setExpiresAtEpochSeconds(t.expiresAt().getEpochSecond())
                .build();
    }

    public static JoinTokenInfo fromMsg(JoinTokenMsg m) {
        return new JoinTokenInfo(m.getToken(), Instant.ofEpochSecond(m.getExpiresAtEpochSeconds()));
    }

    /** The enum constant named {@code name}, or an INVALID_ARGUMENT error that lists the allowed names. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String what, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw GdException.invalid("unknown " + what + " '" + name + "'",
                "use one of " + Arrays.toString(type.getEnumConstants()));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
