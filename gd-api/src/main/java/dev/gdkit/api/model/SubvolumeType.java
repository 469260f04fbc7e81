package dev.gdkit.api.model;

/** How a subvolume spreads data across its bricks. */
public enum SubvolumeType {
    DISTRIBUTE("Distribute"),
    REPLICATE("Replicate"),
    DISPERSE("Disperse");

    private final String displayName;

    SubvolumeType(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
