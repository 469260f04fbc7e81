package dev.gdkit.testkit.volume;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gdkit.core.volume.brick.BrickPreparer;
import dev.gdkit.core.volume.brick.LocalBrickFs;
import dev.gdkit.core.volume.brick.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reading and setting trusted.* attributes in tests, and skipping when the machine cannot. */
final class Xattrs {
    private static final LocalBrickFs FS = new LocalBrickFs(MountTable.of(List.of()));

    private Xattrs() {
    }

    /** Skips the test unless it runs as root with setfattr/getfattr installed. */
    static void assumeAvailable() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = Files.isExecutable(Path.of("/usr/bin/setfattr")) && Files.isExecutable(Path.of("/usr/bin/getfattr"));
        assumeTrue(root && tools, "brick tests need root and setfattr/getfattr from Debian's 'attr' package"
                + " (root=" + root + ", attr tools=" + tools + ")");
    }

    static Optional<String> volumeId(Path p) {
        return get(p, BrickPreparer.VOLUME_ID);
    }

    static Optional<String> get(Path p, String name) {
        try {
            return Optional.ofNullable(FS.xattrs(List.of(p), Set.of(name)).getOrDefault(p, Map.of()).get(name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void set(Path p, String name, String hex) {
        try {
            FS.setXattr(p, name, hex);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
