package dev.gdkit.volgen.spec;

import dev.gdkit.api.error.GdException;

import java.util.Locale;

/**
 * The layout a create command asks for, parsed from the gluster CLI's flags, with glusterd's
 * brick-count rules.
 *
 * @param replica replica count (0: none)
 * @param arbiter arbiter bricks per replica set (0 or 1)
 * @param disperse disperse count (0: none)
 * @param redundancy redundancy of each disperse set
 * @param transport tcp or rdma
 */
public record Layout(int replica, int arbiter, int disperse, int redundancy, String transport) {

    /** Parses {@code replica N [arbiter 1]}, {@code disperse N [redundancy R | disperse-data D]}, {@code transport T}. */
    public static Layout parse(String flags) {
        String[] t = flags.trim().isEmpty() ? new String[0] : flags.trim().toLowerCase(Locale.ROOT).split("\\s+");
        int replica = 0;
        int arbiter = 0;
        int disperse = 0;
        int redundancy = -1;
        int data = -1;
        String transport = "tcp";
        boolean replicaGiven = false;
        for (int i = 0; i < t.length; i += 2) {
            if (i + 1 >= t.length) {
                throw bad("'" + t[i] + "' needs a value");
            }
            String v = t[i + 1];
            switch (t[i]) {
                case "replica" -> {
                    replica = count("replica", v);
                    replicaGiven = true;
                }
                case "arbiter" -> arbiter = count("arbiter", v);
                case "disperse" -> disperse = count("disperse", v);
                case "redundancy" -> redundancy = count("redundancy", v);
                case "disperse-data" -> data = count("disperse-data", v);
                case "transport" -> {
                    if (!v.equals("tcp") && !v.equals("rdma")) {
                        throw bad("transport '" + v + "' is not tcp or rdma");
                    }
                    transport = v;
                }
                case "thin-arbiter", "stripe" -> throw bad("'" + t[i] + "' volumes are not supported by gd-volgen");
                default -> throw bad("unknown create flag '" + t[i] + "'");
            }
        }
        if (replica > 0 && (disperse > 0 || redundancy >= 0 || data >= 0)) {
            throw rule("replicated-dispersed volume is not supported", "use either replica or disperse");
        }
        if (replicaGiven && replica < 2) {
            throw rule("replica count should be greater than 1", "use replica 2 or more");
        }
        if (arbiter > 0) {
            if (arbiter != 1 || (replica != 3 && replica != 2)) {
                throw rule("For arbiter configuration, replica count must be 2 and arbiter count must be 1",
                        "use 'replica 3 arbiter 1' (or 'replica 2 arbiter 1'); the 3rd brick of each set is the arbiter");
            }
            replica = 3;
        }
        if (disperse > 0 || redundancy >= 0 || data >= 0) {
            if (disperse == 0 && data > 0) {
                disperse = data + Math.max(redundancy, 1);
            }
            if (disperse < 3) {
                throw rule("disperse count should be greater than 2", "use disperse 3 or more");
            }
            if (data >= 0 && redundancy >= 0 && data + redundancy != disperse) {
                throw rule("disperse-data " + data + " and redundancy " + redundancy + " do not add up to disperse " + disperse,
                        "give disperse = disperse-data + redundancy");
            }
            if (redundancy < 0) {
                redundancy = data >= 0 ? disperse - data : optimalRedundancy(disperse);
            }
            if (redundancy < 1 || 2 * redundancy >= disperse) {
                throw rule("redundancy must be greater than or equal to 1 and less than "
                        + ((disperse + 1) / 2) + " for a disperse " + disperse + " volume",
                        "choose redundancy R with 1 <= R < disperse/2");
            }
        }
        return new Layout(replica, arbiter, disperse, redundancy < 0 ? 0 : redundancy, transport);
    }

    /** The CLI's suggestion: the largest power-of-two data count that leaves a valid redundancy. */
    static int optimalRedundancy(int disperse) {
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

    /** Checks the brick count against the layout. @throws GdException naming the rule */
    public void checkBrickCount(int bricks) {
        if (bricks == 0) {
            throw rule("a volume needs at least one brick", "give one or more bricks");
        }
        if (bricks % setSize() != 0) {
            String what = replica > 0 ? "replica count " + replica : "disperse count " + disperse;
            throw rule("number of bricks (" + bricks + ") is not a multiple of " + what,
                    "give a multiple of " + setSize() + " bricks (each " + (replica > 0 ? "replica" : "disperse")
                            + " set takes " + setSize() + " consecutive bricks)");
        }
    }

    private static int count(String what, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(what + " count '" + v + "' is not a number");
        }
    }

    private static GdException bad(String what) {
        return GdException.invalid("bad create flags: " + what,
                "use the gluster CLI's create flags: [replica N [arbiter 1]] | [disperse N [redundancy R]] [transport tcp|rdma]");
    }

    private static GdException rule(String what, String remedy) {
        return GdException.invalid("brick layout rule: " + what, remedy);
    }
}
