package dev.gdkit.api.model;

/**
 * A volume's lifecycle state. The {@code *ING} states are held while a transaction runs; the
 * {@code *_FAILED} states keep a failure report until the operation is retried.
 */
public enum VolumeState {
    CREATING("Creating"),
    CREATED("Created"),
    CREATE_FAILED("CreateFailed"),
    STARTING("Starting"),
    STARTED("Started"),
    START_FAILED("StartFailed"),
    STOPPING("Stopping"),
    STOPPED("Stopped"),
    STOP_FAILED("StopFailed"),
    DELETING("Deleting"),
    DELETE_FAILED("DeleteFailed");

    private final String displayName;

    VolumeState(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
