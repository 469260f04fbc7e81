package dev.gdkit.core.volume.brick;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real brick file system: directories through java.nio, {@code trusted.*} extended attributes
 * through {@code getfattr}/{@code setfattr} from Debian's {@code attr} package (Java's own
 * attribute view only reaches {@code user.*}). Setting {@code trusted.*} attributes needs root.
 * Mount points and the root file system are judged from an injected {@link MountTable}.
 */
public final class LocalBrickFs implements BrickFs {
    private static final long TIMEOUT_SECONDS = 30;
    private final MountTable mounts;

    public LocalBrickFs(MountTable mounts) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
    }

    /** The real file system with the kernel's mount table. */
    public static LocalBrickFs system() {
        return new LocalBrickFs(MountTable.proc());
    }

    @Override
    public boolean exists(Path p) {
        return Files.exists(p);
    }

    @Override
    public boolean isDirectory(Path p) {
        return Files.isDirectory(p);
    }

    @Override
    public void createDirectory(Path p) throws IOException {
        Files.createDirectory(p);
    }

    @Override
    public boolean deleteIfEmpty(Path p) throws IOException {
        try {
            return Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
            return false;
        }
    }

    @Override
    public Map<Path, Map<String, String>> xattrs(List<Path> paths, Set<String> names) throws IOException {
        Map<Path, Map<String, String>> out = new LinkedHashMap<>();
        List<Path> existing = paths.stream().filter(Files::exists).toList();
        if (existing.isEmpty() || names.isEmpty()) {
            return out;
        }
        List<String> cmd = new ArrayList<>(List.of("getfattr", "--absolute-names", "-d", "-e", "hex", "-m",
                "^(" + String.join("|", names.stream().map(n -> n.replaceAll("([.\\[\\]()*+?^$|\\\\])", "\\\\$1")).toList()) + ")$", "--"));
        existing.forEach(p -> cmd.add(p.toString()));
        String text = run(cmd, true);
        Path current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# file: ")) {
                current = Path.of(line.substring("# file: ".length()));
            } else if (current != null && line.contains("=")) {
                String name = line.substring(0, line.indexOf('='));
                if (names.contains(name)) {
                    out.computeIfAbsent(current, k -> new LinkedHashMap<>()).put(name, line.substring(line.indexOf('=') + 1));
                }
            }
        }
        return out;
    }

    @Override
    public void setXattr(Path p, String name, String hexValue) throws IOException {
        run(List.of("setfattr", "-n", name, "-v", hexValue, "--", p.toString()), false);
    }

    @Override
    public void removeXattr(Path p, String name) throws IOException {
        if (!Files.exists(p) || xattrs(List.of(p), Set.of(name)).isEmpty()) {
            return;
        }
        run(List.of("setfattr", "-x", name, "--", p.toString()), false);
    }

    @Override
    public boolean isMountPoint(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return mounts.mounts().stream().anyMatch(m -> m.mountPoint().equals(abs));
    }

    @Override
    public boolean onRootFileSystem(Path p) {
        String rootDevice = mounts.mountOf(Path.of("/")).map(MountTable.Mount::device).orElse("");
        return mounts.mountOf(p).map(m -> m.mountPoint().equals(Path.of("/")) || m.device().equals(rootDevice)).orElse(true);
    }

    private static String run(List<String> cmd, boolean exitOneIsPartial) throws IOException {
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.get(0) + " (" + e.getMessage() + "); install Debian's 'attr' package", e);
        }
        try (InputStream out = proc.getInputStream(); InputStream err = proc.getErrorStream()) {
            byte[] o = out.readAllBytes();
            byte[] e = err.readAllBytes();
            if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            int rc = proc.exitValue();
            String stderr = new String(e, StandardCharsets.UTF_8).trim();
            if (rc != 0 && !(exitOneIsPartial && rc == 1 && stderr.lines().allMatch(l -> l.contains("No such attribute")
                    || l.contains("Removing leading")))) {
                throw new IOException(String.join(" ", cmd.subList(0, Math.min(cmd.size(), 4))) + " ... failed (exit " + rc + "): "
                        + stderr);
            }
            return new String(o, StandardCharsets.UTF_8);
        } catch (InterruptedException ie) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0));
        } catch (NoSuchFileException nf) {
            throw new IOException(nf.getMessage(), nf);
        }
    }
}
