package dev.gdkit.core.volume;

/**
 * Where the volume service keeps things: {@code volumes/<name>} holds the
 * {@link dev.gdkit.api.model.Volume} record as JSON (other parts read exactly that);
 * {@code volumes/<name>/auth} the volume's internal credentials; {@code volume-reports/<name>} the
 * last failure report; {@code volume-tasks/<name>} a running remove-brick. One small key per volume each.
 */
public final class VolumeKeys {
    public static final String VOLUMES = "volumes";
    public static final String REPORTS = "volume-reports";
    public static final String TASKS = "volume-tasks";

    private VolumeKeys() {
    }

    public static String volume(String name) {
        return VOLUMES + "/" + name;
    }

    public static String auth(String name) {
        return volume(name) + "/auth";
    }

    public static String report(String name) {
        return REPORTS + "/" + name;
    }

    /** {@code volume-tasks/<name>}: the volume's running remove-brick, if any. */
    public static String task(String name) {
        return TASKS + "/" + name;
    }

    public static String lock(String name) {
        return "volume:" + name;
    }
}
