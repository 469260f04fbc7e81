package dev.gdkit.core.volume;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.gd2.VolCreateRequest;
import java.util.Map;
import java.util.TreeSet;

/**
 * How strictly a brick directory is checked before it joins a volume: GlusterD2's brick flags.
 *
 * @param reuseBricks accept a directory (or a parent) that already carries a volume-id or gfid xattr
 * @param allowRootDir accept a directory on the root file system
 * @param allowMountAsBrick accept a directory that is itself a mount point
 * @param createBrickDir create missing parent directories too (otherwise only the brick directory
 *                       itself is created, and its parent must exist, as in glusterd)
 * @param force all of the above except {@code createBrickDir}, and bricks of one replica or
 *              disperse set on the same host; never a brick inside the daemon's work directory
 */
public record BrickFlags(boolean reuseBricks, boolean allowRootDir, boolean allowMountAsBrick, boolean createBrickDir,
                         boolean force) {
    public static BrickFlags none() {
        return new BrickFlags(false, false, false, false, false);
    }

    public static BrickFlags forced() {
        return new BrickFlags(false, false, false, false, true);
    }

    public boolean mayReuse() {
        return reuseBricks || force;
    }

    public boolean mayUseRoot() {
        return allowRootDir || force;
    }

    public boolean mayUseMount() {
        return allowMountAsBrick || force;
    }

    public BrickFlags withForce(boolean f) {
        return new BrickFlags(reuseBricks, allowRootDir, allowMountAsBrick, createBrickDir, f);
    }

    /** GlusterD2's {@code flags} map plus its {@code force}; unknown flags are refused by name. */
    public static BrickFlags fromGd2(Map<String, Boolean> flags, boolean force) {
        for (String k : flags.keySet()) {
            if (!VolCreateRequest.KNOWN_FLAGS.contains(k)) {
                throw GdException.invalid("unknown brick flag '" + k + "'", "use only " + new TreeSet<>(VolCreateRequest.KNOWN_FLAGS));
            }
        }
        return new BrickFlags(Boolean.TRUE.equals(flags.get("reuse-bricks")), Boolean.TRUE.equals(flags.get("allow-root-dir")),
                Boolean.TRUE.equals(flags.get("allow-mount-as-brick")), Boolean.TRUE.equals(flags.get("create-brick-dir")), force);
    }
}
