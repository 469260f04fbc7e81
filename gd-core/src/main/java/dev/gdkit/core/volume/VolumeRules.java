package dev.gdkit.core.volume;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules a volume request must pass before any transaction starts: names, brick addresses,
 * layouts, duplicates and overlaps, same-host sets, metadata. Stateless.
 */
public final class VolumeRules {
    /** Longest volume name: the lock {@code volume:<name>} must fit one 200-character store key segment. */
    public static final int MAX_NAME = 128;
    /** glusterd's PATH_MAX rule for brick paths. */
    public static final int MAX_BRICK_PATH = 4095;
    /** A volfile name ({@code VOL.HOST.PATH-WITH-DASHES.vol}) must fit NAME_MAX. */
    public static final int MAX_FILE_NAME = 255;
    /** GD2's metadata limit. */
    public static final int MAX_METADATA_BYTES = 4096;
    /** Names the gluster CLI reserves. */
    public static final Set<String> RESERVED = Set.of("volume", "type", "help", "subvolumes", "option", "end-volume", "all",
            "volume_not_in_ring", "description", "force", "snap-max-hard-limit", "snap-max-soft-limit", "auto-delete",
            "activate-on-create");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern BAD_PATH_CHAR = Pattern.compile("[\\s#\"\\p{Cntrl}]");

    private VolumeRules() {
    }

    /** A brick as given: where and on which node. */
    public record BrickAddress(String host, String path, NodeId node) {
        public String endpoint() {
            return host + ":" + path;
        }
    }

    public static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw GdException.invalid("the volume name is empty", "give a name of letters, digits, '_' and '-'");
        }
        if (name.length() > MAX_NAME) {
            throw GdException.invalid("volume name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; the limit is " + MAX_NAME, "choose a name of at most " + MAX_NAME + " characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw GdException.invalid("volume name '" + printable(name) + "' contains characters other than letters, digits, '_' and '-'",
                    "choose a name of letters, digits, '_' and '-' only (no '/', spaces or dots)");
        }
        if (name.startsWith("-")) {
            throw GdException.invalid("volume name '" + name + "' starts with '-'", "start the name with a letter, digit or '_'");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw GdException.invalid("\"" + name + "\" cannot be the name of a volume: the gluster CLI reserves it",
                    "choose a name other than " + new TreeSet<>(RESERVED));
        }
    }

    /**
     * Parses {@code host:/path} and resolves the host to a member with {@code hosts} (host name,
     * address or node id to node).
     */
    public static BrickAddress parseBrick(String brick, Map<String, NodeId> hosts) {
        if (brick == null) {
            throw GdException.invalid("a brick is null", "give each brick as HOST:/absolute/path");
        }
        int colon = brick.indexOf(":/");
        if (colon <= 0) {
            throw GdException.invalid("brick '" + printable(brick) + "' is not HOST:/absolute/path",
                    "give each brick as HOST:/absolute/path, for example server1:/bricks/b1");
        }
        String host = brick.substring(0, colon);
        String path = brick.substring(colon + 1);
        return resolve(host, path, hosts);
    }

    /** Checks a host and path and resolves the host. */
    public static BrickAddress resolve(String host, String path, Map<String, NodeId> hosts) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw GdException.invalid("brick host '" + printable(host) + "' is not a host name or address",
                    "give a host name or IP address of a cluster member");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.startsWith("127.") || lower.equals("::1") || lower.startsWith("0.")) {
            throw GdException.invalid("brick host '" + host + "' is a loopback address, which other nodes and clients cannot reach",
                    "name the node by a host name or address other than localhost, 127.x.x.x or 0.x.x.x");
        }
        checkPath(host, path);
        NodeId node = hosts.get(host);
        if (node == null) {
            throw new GdException(ErrorCode.NODE_NOT_IN_CLUSTER, "brick host '" + host + "' of brick " + host + ":" + path
                    + " is not a member of this cluster", "add the node first, or use one of the members: "
                    + new TreeSet<>(hosts.keySet()));
        }
        return new BrickAddress(host, path, node);
    }

    static void checkPath(String host, String path) {
        if (path == null || !path.startsWith("/")) {
            throw GdException.invalid("brick path '" + printable(path) + "' on " + host + " is not absolute",
                    "give the brick as HOST:/absolute/path");
        }
        if (path.length() > MAX_BRICK_PATH) {
            throw GdException.invalid("brick path on " + host + " is " + path.length() + " characters long; the limit is "
                    + MAX_BRICK_PATH, "use a shorter path");
        }
        if (BAD_PATH_CHAR.matcher(path).find()) {
            throw GdException.invalid("brick path '" + printable(path) + "' on " + host
                    + " contains white space, '#', '\"' or a control character, which volfiles cannot hold",
                    "use a path without those characters");
        }
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/..") || path.endsWith("/.")
                || (path.length() > 1 && path.endsWith("/"))) {
            throw GdException.invalid("brick path '" + path + "' on " + host + " is not in normal form",
                    "give the path without '//', '.', '..' or a trailing '/'");
        }
    }

    /** Refuses a brick given twice and bricks of the request that contain one another on one node. */
    public static void checkDistinct(List<BrickAddress> bricks) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < bricks.size(); i++) {
            BrickAddress b = bricks.get(i);
            Integer first = seen.putIfAbsent(b.node().value() + ":" + b.path(), i);
            if (first != null) {
                throw GdException.invalid("brick " + b.endpoint() + " is given twice (bricks " + (first + 1) + " and " + (i + 1)
                        + ")", "give every brick once; each brick must be its own directory");
            }
        }
        for (BrickAddress a : bricks) {
            for (BrickAddress b : bricks) {
                if (a != b && a.node().equals(b.node()) && contains(a.path(), b.path())) {
                    throw GdException.invalid("brick " + b.endpoint() + " is inside brick " + a.endpoint() + " of the same request",
                            "give bricks that are separate directories, neither inside the other");
                }
            }
        }
    }

    /** Refuses bricks that contain, or lie inside, a brick of an existing volume on the same node. */
    public static void checkNotInUse(List<BrickAddress> bricks, List<Volume> existing) {
        for (BrickAddress b : bricks) {
            for (Volume v : existing) {
                for (Brick e : v.bricks()) {
                    if (!e.node().equals(b.node())) {
                        continue;
                    }
                    if (e.path().equals(b.path())) {
                        throw new GdException(ErrorCode.ALREADY_EXISTS, "brick " + b.endpoint() + " is already a brick of volume "
                                + v.name(), "choose another directory, or remove the brick from volume " + v.name() + " first");
                    }
                    if (contains(e.path(), b.path()) || contains(b.path(), e.path())) {
                        throw new GdException(ErrorCode.ALREADY_EXISTS, "brick " + b.endpoint() + (contains(e.path(), b.path())
                                ? " is inside" : " contains") + " brick " + e.endpoint() + " of volume " + v.name(),
                                "choose a directory that neither contains nor lies inside another volume's brick");
                    }
                }
            }
        }
    }

    /** Refuses two bricks of one replica or disperse set on one node, unless forced. */
    public static void checkSpread(Layout layout, List<BrickAddress> bricks, boolean force) {
        if (force || layout.setSize() == 1) {
            return;
        }
        int size = layout.setSize();
        for (int s = 0; s < bricks.size() / size; s++) {
            Map<NodeId, BrickAddress> seen = new HashMap<>();
            for (int i = s * size; i < (s + 1) * size; i++) {
                BrickAddress b = bricks.get(i);
                BrickAddress other = seen.putIfAbsent(b.node(), b);
                if (other != null) {
                    String kind = layout.replica() > 0 ? "replica" : "disperse";
                    throw GdException.invalid("bricks " + other.endpoint() + " and " + b.endpoint() + " of " + kind + " set "
                            + (s + 1) + " are on the same node " + b.node() + ": losing that node loses "
                            + (layout.replica() > 0 ? "every copy it holds" : "more than one fragment") + " of the set",
                            "put each brick of a " + kind + " set on a different node (each set is " + size
                                    + " consecutive bricks), or use force to accept the risk");
                }
            }
        }
    }

    /** Metadata: at most 4 KiB in total, keys not starting with '_' (reserved, as in GD2). */
    public static void checkMetadata(Map<String, String> metadata) {
        int bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().startsWith("_")) {
                throw GdException.invalid("metadata key '" + e.getKey() + "' is reserved or empty",
                        "use non-empty keys that do not start with '_'");
            }
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw GdException.invalid("metadata is " + bytes + " bytes; the limit is " + MAX_METADATA_BYTES,
                    "keep labels short, and store larger data elsewhere");
        }
    }

    /** Refuses a brick whose volfile name would exceed NAME_MAX (glusterd bug 1085330). */
    public static void checkVolfileName(String volume, BrickAddress b) {
        String file = volume + "." + b.host() + "." + b.path().substring(1).replace('/', '-') + ".vol";
        if (file.length() > MAX_FILE_NAME) {
            throw GdException.invalid("the brick volfile name for volume " + volume + " and brick " + b.endpoint() + " would be "
                    + file.length() + " characters long; the limit is " + MAX_FILE_NAME,
                    "use a shorter volume name or brick path");
        }
    }

    /** The subvolumes of a layout over bricks in set order, named as glusterd names them. */
    public static List<Subvolume> subvolumes(String volume, Layout layout, List<Brick> bricks, int firstSet) {
        List<Subvolume> out = new ArrayList<>();
        if (layout.setSize() == 1) {
            out.add(new Subvolume(volume + "-dht", SubvolumeType.DISTRIBUTE, bricks, 0, 0, 0, 0));
            return out;
        }
        int size = layout.setSize();
        for (int s = 0; s < bricks.size() / size; s++) {
            boolean rep = layout.replica() > 0;
            out.add(new Subvolume(volume + (rep ? "-replicate-" : "-disperse-") + (firstSet + s),
                    rep ? SubvolumeType.REPLICATE : SubvolumeType.DISPERSE, bricks.subList(s * size, (s + 1) * size),
                    rep ? layout.replica() : 0, layout.arbiter(), rep ? 0 : layout.disperse(), rep ? 0 : layout.redundancy()));
        }
        return out;
    }

    /** New bricks for addresses, the last of each set an arbiter when the layout has one. */
    public static List<Brick> bricks(Layout layout, List<BrickAddress> addresses) {
        List<Brick> out = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            BrickAddress a = addresses.get(i);
            boolean arbiter = layout.arbiter() > 0 && i % layout.setSize() == layout.setSize() - 1;
            out.add(new Brick(java.util.UUID.randomUUID().toString(), a.node(), a.host(), a.path(),
                    arbiter ? BrickType.ARBITER : BrickType.BRICK));
        }
        return out;
    }

    /** The layout a stored volume has. */
    public static Layout layoutOf(Volume v) {
        Subvolume first = v.subvolumes().get(0);
        return switch (first.type()) {
            case DISTRIBUTE -> new Layout(0, 0, 0, 0);
            case REPLICATE -> new Layout(first.replicaCount(), first.arbiterCount(), 0, 0);
            case DISPERSE -> new Layout(0, 0, first.disperseCount(), first.redundancy());
        };
    }

    /** Whether {@code inner} is strictly below directory {@code outer}. */
    static boolean contains(String outer, String inner) {
        return inner.startsWith(outer.equals("/") ? "/" : outer + "/") && !inner.equals(outer);
    }

    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    static boolean isTypeDistributeOnly(VolumeType t) {
        return t == VolumeType.DISTRIBUTE;
    }
}
