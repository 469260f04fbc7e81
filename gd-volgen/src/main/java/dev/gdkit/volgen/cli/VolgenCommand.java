package dev.gdkit.volgen.cli;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolfileSet;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.GlusterVolgen;
import dev.gdkit.volgen.catalog.GlusterOptionCatalog;
import dev.gdkit.volgen.spec.SpecReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code gd-volgen --spec SPEC.json --out DIR}: writes the volfiles of the volume a corpus-format
 * spec describes, named as glusterd names them. Everything is generated and checked in memory
 * first; on any error nothing is written. Exit status: 0 written, 1 invalid spec or options,
 * 2 bad command line, 3 I/O error.
 */
public final class VolgenCommand {
    static final String USAGE = String.join("\n",
            "usage: gd-volgen --spec SPEC.json --out DIR [options]",
            "  --spec FILE          the volume, in the conformance corpus's spec.json format",
            "  --out DIR            where to write the volfiles (created if missing)",
            "  --volume-id ID       the volume id written into volfiles (default @VOLUME_ID@)",
            "  --auth-user USER     the volume's internal user (default @AUTH_USER@)",
            "  --auth-password PW   the volume's internal password (default @AUTH_PASSWORD@)",
            "  --workdir DIR        glusterd's working directory (default @WORKDIR@)",
            "  --op-version N       the cluster op-version (default 100000)",
            "  --catalog builtin|installed  translator option tables to validate against (default: installed",
            "                       GlusterFS when present, else built-in)",
            "The defaults are the corpus placeholders, so output compares directly with the corpus.");

    private VolgenCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (k.equals("-h") || k.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!List.of("--spec", "--out", "--volume-id", "--auth-user", "--auth-password", "--workdir",
                    "--op-version", "--catalog").contains(k)) {
                err.println("gd-volgen: unknown argument '" + k + "'\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.length) {
                err.println("gd-volgen: " + k + " needs a value\n" + USAGE);
                return 2;
            }
            a.put(k, args[++i]);
        }
        if (!a.containsKey("--spec") || !a.containsKey("--out")) {
            err.println("gd-volgen: --spec and --out are required\n" + USAGE);
            return 2;
        }
        try {
            GlusterOptionCatalog catalog = switch (a.getOrDefault("--catalog", "auto")) {
                case "builtin" -> GlusterOptionCatalog.builtin();
                case "installed", "auto" -> GlusterOptionCatalog.fromInstalledOrBuiltin();
                default -> throw GdException.invalid("--catalog '" + a.get("--catalog") + "' is not known",
                        "use builtin or installed");
            };
            String json;
            try {
                json = Files.readString(Path.of(a.get("--spec")), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                err.println("gd-volgen: spec file " + a.get("--spec") + " does not exist");
                return 3;
            }
            SpecReader reader = new SpecReader(catalog);
            Volume v = reader.toVolume(reader.parse(json), a.getOrDefault("--volume-id", "@VOLUME_ID@"));
            VolgenRequest req = VolgenRequest.builder(v)
                    .clusterOpVersion(OpVersion.of(opVersion(a.getOrDefault("--op-version", "100000"))))
                    .credentials(a.getOrDefault("--auth-user", "@AUTH_USER@"), a.getOrDefault("--auth-password", "@AUTH_PASSWORD@"))
                    .workdir(a.getOrDefault("--workdir", "@WORKDIR@"))
                    .build();
            VolfileSet set = GlusterVolgen.builder().catalog(catalog).build().generate(req);
            write(Path.of(a.get("--out")), set);
            for (Volfile f : set.files()) {
                out.println(f.fileName());
            }
            return 0;
        } catch (GdException e) {
            err.println("gd-volgen: error: " + e.getMessage());
            if (!e.remedy().isEmpty()) {
                err.println("gd-volgen: allowed: " + e.remedy());
            }
            err.println("gd-volgen: nothing was written");
            return 1;
        } catch (IOException e) {
            err.println("gd-volgen: I/O error: " + e);
            return 3;
        }
    }

    private static int opVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw GdException.invalid("--op-version '" + s + "' is not a number", "give an op-version such as 100000");
        }
    }

    /** Writes every file through a temporary name, then renames, so readers never see half a file. */
    private static void write(Path dir, VolfileSet set) throws IOException {
        Files.createDirectories(dir);
        List<Path> temps = new ArrayList<>();
        try {
            for (Volfile f : set.files()) {
                Path tmp = Files.createTempFile(dir, ".gd-volgen-", ".tmp");
                temps.add(tmp);
                Files.writeString(tmp, f.text(), StandardCharsets.UTF_8);
            }
            for (int i = 0; i < temps.size(); i++) {
                Path target = dir.resolve(set.files().get(i).fileName());
                try {
                    Files.move(temps.get(i), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temps.get(i), target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            for (Path t : temps) {
                Files.deleteIfExists(t);
            }
        }
    }
}
