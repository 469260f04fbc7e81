package dev.gdkit.core.volume.brick;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.volume.BrickFlags;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks and prepares one brick directory on its own node, glusterd's
 * {@code glusterd_validate_and_create_brickpath} and {@code glusterd_check_and_set_brick_xattr}
 * with undo: every check runs before anything changes; then missing directories are created and
 * the volume-id attribute is set, each recorded first in the node's {@link UndoLog} so that
 * {@link #undo} removes exactly what was added.
 */
public final class BrickPreparer {
    /** The attribute that marks a directory as a brick of a volume. */
    public static final String VOLUME_ID = "trusted.glusterfs.volume-id";
    /** The attribute a brick's files (and its root) carry once a brick process ran on it. */
    public static final String GFID = "trusted.gfid";
    /** glusterd's compiled-in working directory: never a place for bricks. */
    public static final Path GLUSTERD_WORKDIR = Path.of("/var/lib/glusterd");

    private static final Logger LOG = LoggerFactory.getLogger(BrickPreparer.class);

    private final BrickFs fs;
    private final Path workdir;

    public BrickPreparer(BrickFs fs, Path workdir) {
        this.fs = Objects.requireNonNull(fs, "fs");
        this.workdir = workdir.toAbsolutePath().normalize();
    }

    /**
     * What preparing one brick changed (or was about to): directories created (outermost first),
     * and the volume-id it set with the value it replaced ("" when none).
     */
    public record Prepared(String path, List<String> createdDirs, String volumeId, String previousVolumeId) {
        public Prepared {
            createdDirs = List.copyOf(createdDirs);
            previousVolumeId = previousVolumeId == null ? "" : previousVolumeId;
        }
    }

    /** The xattr value of a volume id: its 16 bytes in hex, as glusterd writes it. */
    public static String xattrValue(String volumeId) {
        return "0x" + volumeId.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** Every check, in glusterd's order, without changing anything. Returns the directories to create. */
    public List<Path> check(String endpoint, Path brick, BrickFlags flags) {
        Path p = brick.toAbsolutePath().normalize();
        if (p.startsWith(workdir) || workdir.startsWith(p) || p.startsWith(GLUSTERD_WORKDIR)) {
            throw GdException.invalid("brick " + endpoint + " is inside (or contains) the management daemon's work directory "
                    + (p.startsWith(GLUSTERD_WORKDIR) ? GLUSTERD_WORKDIR : workdir) + "; this is refused even with force",
                    "put bricks on a separate file system, for example /bricks/<volume>/<brick>");
        }
        List<Path> missing = new ArrayList<>();
        Path cur = p;
        while (cur != null && !fs.exists(cur)) {
            missing.add(cur);
            cur = cur.getParent();
        }
        Collections.reverse(missing);
        if (missing.size() > 1 && !flags.createBrickDir()) {
            throw GdException.invalid("the parent directory " + p.getParent() + " of brick " + endpoint + " does not exist",
                    "create " + p.getParent() + " first, or set the create-brick-dir flag to create missing parents");
        }
        if (missing.isEmpty() && !fs.isDirectory(p)) {
            throw GdException.invalid("brick " + endpoint + " exists but is not a directory", "give a directory as the brick");
        }
        if (!flags.mayUseMount() && fs.isMountPoint(p)) {
            throw GdException.invalid("brick " + endpoint + " is a mount point; if the file system is not mounted the brick"
                    + " process would write into the directory below it",
                    "create a sub-directory under the mount point and use that as the brick, or set allow-mount-as-brick (or force)");
        }
        if (!flags.mayUseRoot() && fs.onRootFileSystem(p)) {
            throw GdException.invalid("brick " + endpoint + " is on the root file system; filling it can stop the whole server",
                    "put the brick on a separate file system, or set allow-root-dir (or force) to accept the risk");
        }
        if (!flags.mayReuse()) {
            List<Path> chain = new ArrayList<>();
            for (Path a = cur; a != null; a = a.getParent()) {
                chain.add(a);
            }
            Map<Path, Map<String, String>> found;
            try {
                found = fs.xattrs(chain, Set.of(VOLUME_ID, GFID));
            } catch (IOException e) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot read extended attributes of brick " + endpoint
                        + ": " + e.getMessage(), "make sure the brick file system supports trusted.* attributes and the daemon runs as root");
            }
            for (Path a : chain) {
                Map<String, String> x = found.get(a);
                if (x != null && !x.isEmpty()) {
                    String which = x.containsKey(VOLUME_ID) ? VOLUME_ID + "=" + x.get(VOLUME_ID) : GFID + "=" + x.get(GFID);
                    String what = a.equals(p) ? "brick " + endpoint + " is already part of a volume"
                            : "parent directory " + a + " of brick " + endpoint + " is already part of a volume";
                    throw new GdException(ErrorCode.FAILED_PRECONDITION, what + " (" + which + ")",
                            "use an empty directory; if that volume is gone, remove the attributes with 'setfattr -x "
                                    + VOLUME_ID + " " + a + "' and 'setfattr -x " + GFID + " " + a
                                    + "', or set reuse-bricks (or force)");
                }
            }
        }
        return missing;
    }

    /**
     * Checks, then prepares the brick for {@code volumeId}. The intent is written to {@code log}
     * before anything changes. On failure nothing is left behind.
     */
    public Prepared prepare(String endpoint, Path brick, String volumeId, BrickFlags flags, UndoLog log, String txnId,
                            String recordName) {
        List<Path> toCreate = check(endpoint, brick, flags);
        Path p = brick.toAbsolutePath().normalize();
        String previous = "";
        if (toCreate.isEmpty()) {
            try {
                previous = fs.xattrs(List.of(p), Set.of(VOLUME_ID)).getOrDefault(p, Map.of()).getOrDefault(VOLUME_ID, "");
            } catch (IOException e) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot read extended attributes of brick " + endpoint + ": "
                        + e.getMessage(), "make sure the brick file system supports trusted.* attributes and the daemon runs as root");
            }
        }
        Prepared intent = new Prepared(p.toString(), toCreate.stream().map(Path::toString).toList(), volumeId, previous);
        log.write(txnId, recordName, intent);
        try {
            for (Path d : toCreate) {
                fs.createDirectory(d);
            }
            fs.setXattr(p, VOLUME_ID, xattrValue(volumeId));
        } catch (IOException | RuntimeException e) {
            try {
                undo(intent);
                log.delete(txnId, recordName);
            } catch (IOException | RuntimeException again) {
                LOG.warn("cleaning up brick {} after a failed preparation also failed: {}", endpoint, again.toString());
            }
            if (e instanceof GdException ge) {
                throw ge;
            }
            String missingParent = toCreate.isEmpty() ? "" : " (creating " + toCreate.get(0) + ")";
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot prepare brick " + endpoint + missingParent + ": " + e.getMessage(),
                    "check that the directory is writable and its file system supports trusted.* extended attributes"
                            + " (the daemon must run as root)", List.of(), e);
        }
        return intent;
    }

    /** Takes back what {@code done} added: the attribute (only while it still holds this volume's id), then new directories. */
    public void undo(Prepared done) throws IOException {
        Path p = Path.of(done.path());
        if (fs.exists(p)) {
            String now = fs.xattrs(List.of(p), Set.of(VOLUME_ID)).getOrDefault(p, Map.of()).getOrDefault(VOLUME_ID, "");
            if (now.equalsIgnoreCase(xattrValue(done.volumeId()))) {
                if (done.previousVolumeId().isEmpty()) {
                    fs.removeXattr(p, VOLUME_ID);
                } else {
                    fs.setXattr(p, VOLUME_ID, done.previousVolumeId());
                }
            }
        }
        List<String> created = new ArrayList<>(done.createdDirs());
        Collections.reverse(created);
        for (String d : created) {
            if (!fs.deleteIfEmpty(Path.of(d)) && fs.exists(Path.of(d))) {
                LOG.warn("brick directory {} was created by this operation but is no longer empty; it is kept", d);
            }
        }
    }
}
