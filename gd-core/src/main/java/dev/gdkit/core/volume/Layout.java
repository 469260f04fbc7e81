package dev.gdkit.core.volume;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.VolumeType;

/**
 * A volume's layout after glusterd's rules: replica N (optionally with one arbiter per set),
 * disperse N with redundancy R, or plain distribute; distributed forms by repeating sets.
 *
 * @param replica bricks per replica set (0: not replicated)
 * @param arbiter arbiter bricks per replica set (0 or 1)
 * @param disperse bricks per disperse set (0: not dispersed)
 * @param redundancy bricks of a disperse set that may fail
 */
public record Layout(int replica, int arbiter, int disperse, int redundancy) {

    /**
     * Checks the counts the way the gluster CLI and glusterd do, with clearer errors. A replica
     * count of 0 and a disperse count of 0 mean "not given"; redundancy 0 with a disperse count asks
     * for the CLI's optimal redundancy.
     */
    public static Layout of(int replica, int arbiter, int disperse, int redundancy) {
        if (replica < 0 || arbiter < 0 || disperse < 0 || redundancy < 0) {
            throw GdException.invalid("layout counts must not be negative (replica " + replica + ", arbiter " + arbiter
                    + ", disperse " + disperse + ", redundancy " + redundancy + ")", "give counts of 0 or more");
        }
        if (replica > 0 && (disperse > 0 || redundancy > 0)) {
            throw GdException.invalid("replica " + replica + " together with disperse " + disperse + "/redundancy " + redundancy
                    + ": replicated-dispersed volumes are not supported", "ask for either replica N or disperse N, not both");
        }
        if (replica == 1) {
            throw GdException.invalid("replica count 1 is not valid: a replicated volume needs at least 2 copies",
                    "use replica 3 (or replica 3 arbiter 1), or leave replica out for a distribute volume");
        }
        if (arbiter > 0) {
            if (arbiter != 1 || (replica != 3 && replica != 2)) {
                throw GdException.invalid("arbiter " + arbiter + " with replica " + replica + " is not valid: an arbiter volume is"
                        + " replica 3 arbiter 1, where the 3rd brick of each set is the arbiter",
                        "use replica 3 arbiter 1 and give bricks in sets of three, the arbiter last");
            }
            return new Layout(3, 1, 0, 0);
        }
        if (disperse > 0 || redundancy > 0) {
            if (disperse < 3) {
                throw GdException.invalid("disperse count " + disperse + " is too small: a disperse set needs at least 3 bricks",
                        "use disperse 3 or more (for example disperse 6 redundancy 2)");
            }
            int r = redundancy == 0 ? optimalRedundancy(disperse) : redundancy;
            if (r < 1 || 2 * r >= disperse) {
                throw GdException.invalid("redundancy " + r + " is not valid for disperse " + disperse
                        + ": it must be at least 1 and less than " + disperse + "/2",
                        "choose redundancy between 1 and " + ((disperse - 1) / 2) + " for disperse " + disperse);
            }
            return new Layout(0, 0, disperse, r);
        }
        return new Layout(replica, 0, 0, 0);
    }

    /** The gluster CLI's suggestion: the largest power-of-two data count that leaves a valid redundancy. */
    public static int optimalRedundancy(int disperse) {
        for (int d = Integer.highestOneBit(disperse - 1); d >= 2; d >>= 1) {
            int r = disperse - d;
            if (r >= 1 && 2 * r < disperse) {
                return r;
            }
        }
        return 1;
    }

    /** Bricks per subvolume (1 for plain distribute). */
    public int setSize() {
        return replica > 0 ? replica : disperse > 0 ? disperse : 1;
    }

    /** The volume type for {@code bricks} bricks. */
    public VolumeType type(int bricks) {
        boolean many = bricks / setSize() > 1;
        if (replica > 0) {
            return many ? VolumeType.DISTRIBUTED_REPLICATE : VolumeType.REPLICATE;
        }
        if (disperse > 0) {
            return many ? VolumeType.DISTRIBUTED_DISPERSE : VolumeType.DISPERSE;
        }
        return VolumeType.DISTRIBUTE;
    }

    /** Refuses a brick count that does not fill whole sets. */
    public void checkBrickCount(int bricks) {
        if (bricks == 0) {
            throw GdException.invalid("no bricks given", "give at least one brick as HOST:/absolute/path");
        }
        if (bricks % setSize() != 0) {
            String what = replica > 0 ? "replica " + replica : "disperse " + disperse;
            throw GdException.invalid(bricks + " bricks do not make whole sets for " + what + ": the brick count must be a multiple of "
                    + setSize(), "give " + (bricks / setSize() + 1) * setSize() + " bricks (or " + Math.max(setSize(),
                    bricks / setSize() * setSize()) + "); each set takes " + setSize() + " consecutive bricks");
        }
    }

    /** "2 x (2 + 1) = 6" as glusterd prints "Number of Bricks". */
    public String brickCountText(int bricks) {
        int sets = bricks / setSize();
        if (replica > 0 && arbiter > 0) {
            return sets + " x (" + (replica - arbiter) + " + " + arbiter + ") = " + bricks;
        }
        if (disperse > 0) {
            return sets + " x (" + (disperse - redundancy) + " + " + redundancy + ") = " + bricks;
        }
        if (replica > 0) {
            return sets + " x " + replica + " = " + bricks;
        }
        return Integer.toString(bricks);
    }
}
