package dev.gdkit.api.model;

/** A volume's layout. Display names are GlusterD2's. */
public enum VolumeType {
    DISTRIBUTE("Distribute"),
    REPLICATE("Replicate"),
    DISPERSE("Disperse"),
    DISTRIBUTED_REPLICATE("DistReplicate"),
    DISTRIBUTED_DISPERSE("DistDisperse");

    private final String displayName;

    VolumeType(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    public static VolumeType fromDisplayName(String name) {
        for (VolumeType t : values()) {
            if (t.displayName.equals(name)) {
                return t;
            }
        }
        throw dev.gdkit.api.error.GdException.invalid("unknown volume type '" + name + "'",
                "use one of Distribute, Replicate, Disperse, DistReplicate, DistDisperse");
    }
}
