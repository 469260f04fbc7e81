package dev.gdkit.volgen.catalog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The project's tool that produces the built-in catalog resource {@code xlator-options.json} from
 * an installed GlusterFS (Debian: {@code apt-get install glusterfs-server}):
 * <pre>
 * java -cp ... dev.gdkit.volgen.catalog.CatalogGenerator [XLATOR_DIR] OUT.json
 * </pre>
 * Without {@code XLATOR_DIR} it looks for the newest installed GlusterFS. Output is sorted and
 * stable, so regenerating from the same GlusterFS gives the same file.
 */
public final class CatalogGenerator {
    private CatalogGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: CatalogGenerator [XLATOR_DIR] OUT.json");
            System.exit(2);
        }
        Optional<Path> dir = args.length == 2 ? Optional.of(Path.of(args[0])) : XlatorLibraryReader.findInstalled();
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            System.err.println("no GlusterFS translator directory found (looked in "
                    + XlatorLibraryReader.DEFAULT_ROOTS + "); install glusterfs-server or pass XLATOR_DIR");
            System.exit(1);
        }
        XlatorTables t = new XlatorLibraryReader().readAll(dir.get());
        XlatorTables stable = new XlatorTables("glusterfs " + t.version() + " translator libraries", t.version(), t.tables());
        Path out = Path.of(args[args.length - 1]);
        try (OutputStream os = Files.newOutputStream(out)) {
            stable.write(os);
        }
        System.out.println("wrote " + stable.tables().size() + " translator tables, "
                + stable.tables().values().stream().mapToInt(java.util.List::size).sum() + " options, to " + out);
    }
}
