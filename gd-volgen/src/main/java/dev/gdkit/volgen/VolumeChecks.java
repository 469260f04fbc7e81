package dev.gdkit.volgen;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Volume;
import dev.gdkit.volgen.graph.VolfileSyntax;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules names and paths must follow before they go into volfiles and file names: glusterd's
 * volume-name rule, and brick hosts and paths that are single volfile words. Stateless.
 */
public final class VolumeChecks {
    private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    /** glusterd's NAME_MAX-based limit on volume names. */
    public static final int MAX_VOLUME_NAME = 255;
    /** Names the gluster CLI reserves. */
    public static final Set<String> RESERVED = Set.of("volume", "type", "help", "subvolumes", "option", "end-volume",
            "all", "volume_not_in_ring", "description", "force", "snap-max-hard-limit", "snap-max-soft-limit",
            "auto-delete", "activate-on-create");

    private VolumeChecks() {
    }

    /** @throws GdException naming the name and the rule it breaks */
    public static void checkVolumeName(String name) {
        if (name == null || name.isEmpty()) {
            throw GdException.invalid("the volume name is empty", "give a name of letters, digits, '_' and '-'");
        }
        String shown = VolfileSyntax.printable(name);
        if (!VOLUME_NAME.matcher(name).matches()) {
            throw GdException.invalid("volume name '" + shown + "' is not valid: only letters, digits, '_' and '-' are allowed",
                    "give a name of letters, digits, '_' and '-' (no white space, '/', '#' or line breaks)");
        }
        if (name.startsWith("-")) {
            throw GdException.invalid("volume name '" + shown + "' is not valid: it starts with '-'",
                    "start the name with a letter, digit or '_'");
        }
        if (name.length() > MAX_VOLUME_NAME) {
            throw GdException.invalid("volume name is " + name.length() + " characters long", "use at most " + MAX_VOLUME_NAME);
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw GdException.invalid("\"" + name + "\" cannot be the name of a volume: it is a reserved word",
                    "choose a name other than " + new java.util.TreeSet<>(RESERVED));
        }
    }

    /** @throws GdException naming the brick and what is wrong with its host or path */
    public static void checkBrick(String host, String path) {
        if (host == null || !HOST.matcher(host).matches()) {
            throw GdException.invalid("brick host '" + VolfileSyntax.printable(host) + "' is not a valid host name or address",
                    "give a host name or IP address (letters, digits, '.', '-', ':')");
        }
        if (path == null || !path.startsWith("/")) {
            throw GdException.invalid("brick path '" + VolfileSyntax.printable(path) + "' on " + host + " is not absolute",
                    "give the brick as HOST:/absolute/path");
        }
        String why = VolfileSyntax.problem(path);
        if (why != null) {
            throw GdException.invalid("brick path '" + VolfileSyntax.printable(path) + "' on " + host
                    + " cannot be used: " + why, "use a path without white space, line breaks, '#', '\"' or control characters");
        }
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/..")
                || (path.length() > 1 && path.endsWith("/"))) {
            throw GdException.invalid("brick path '" + path + "' on " + host + " is not in normal form",
                    "give the path without '//', '.', '..' or a trailing '/'");
        }
    }

    /** Checks every name, path and id of a volume. */
    public static void checkVolume(Volume v) {
        checkVolumeName(v.name());
        VolfileSyntax.requireWord(v.id(), "volume id");
        if (!v.transport().equals("tcp") && !v.transport().equals("rdma")) {
            throw GdException.invalid("transport '" + VolfileSyntax.printable(v.transport()) + "' is not supported",
                    "use tcp or rdma");
        }
        if (v.subvolumes().isEmpty() || v.bricks().isEmpty()) {
            throw GdException.invalid("volume " + v.name() + " has no bricks", "give at least one brick");
        }
        Set<String> seen = new HashSet<>();
        for (Brick b : v.bricks()) {
            checkBrick(b.host(), b.path());
            if (!seen.add(b.host() + ":" + b.path())) {
                throw GdException.invalid("Found duplicate exports " + b.host() + ":" + b.path(),
                        "give each brick once");
            }
        }
    }
}
