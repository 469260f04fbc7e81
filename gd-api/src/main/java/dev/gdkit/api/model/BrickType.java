package dev.gdkit.api.model;

/** Whether a brick holds data or only metadata (an arbiter). */
public enum BrickType {
    BRICK("Brick"),
    ARBITER("Arbiter");

    private final String displayName;

    BrickType(String displayName) {
        this.displayName = displayName;
    }

    /** The capitalised name GlusterD2's API uses. */
    public String displayName() {
        return displayName;
    }
}
