package dev.gdkit.core.volume.brick;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The file-system operations brick preparation needs, behind one small interface so tests can use
 * real directories with an injected mount table (see {@link LocalBrickFs}). Extended attribute
 * values are hex strings as {@code getfattr -e hex} prints them ({@code 0x...}).
 */
public interface BrickFs {
    boolean exists(Path p);

    boolean isDirectory(Path p);

    /** Creates one directory; its parent must exist. */
    void createDirectory(Path p) throws IOException;

    /** Deletes a directory if it exists and is empty; returns whether it was deleted. */
    boolean deleteIfEmpty(Path p) throws IOException;

    /** The values of the named extended attributes on each existing path (absent names are left out). */
    Map<Path, Map<String, String>> xattrs(List<Path> paths, Set<String> names) throws IOException;

    void setXattr(Path p, String name, String hexValue) throws IOException;

    /** Removes an extended attribute; no error when it is absent. */
    void removeXattr(Path p, String name) throws IOException;

    /** Whether the path is itself a mount point. */
    boolean isMountPoint(Path p);

    /** Whether the path (or, when it does not exist yet, where it would be created) is on the root file system. */
    boolean onRootFileSystem(Path p);
}
