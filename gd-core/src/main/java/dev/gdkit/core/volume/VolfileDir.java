package dev.gdkit.core.volume;

import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volume.brick.UndoLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A node's volfiles, {@code <workdir>/vols/<volume>/<file>}, replaced as a whole with a backup in
 * the node's {@link UndoLog} so a transaction's undo puts the previous files back.
 */
public final class VolfileDir {
    private final Path workdir;
    private final UndoLog log;

    public VolfileDir(Path workdir, UndoLog log) {
        this.workdir = workdir;
        this.log = log;
    }

    /** The record of a volfile backup. */
    public record Backup(String volume, boolean existed) {
    }

    public Path dir(String volume) {
        return workdir.resolve("vols").resolve(volume);
    }

    /** The files this node holds for a volume, by name (empty when none). */
    public List<String> list(String volume) {
        Path d = dir(volume);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".tmp")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String read(String volume, String file) {
        try {
            return Files.readString(dir(volume).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes the volume's folder hold exactly {@code files} (none: the folder goes), after backing the
     * old content up for {@link #restore}. Returns the names of files added or changed.
     */
    public List<String> replace(String txnId, String volume, List<Volfile> files) throws IOException {
        boolean fresh = log.read(txnId, "volfiles-" + volume, Backup.class).isEmpty();
        try {
            return write(txnId, volume, files);
        } catch (IOException | RuntimeException e) {
            if (fresh) {
                restore(txnId, volume);
            }
            throw e;
        }
    }

    private List<String> write(String txnId, String volume, List<Volfile> files) throws IOException {
        String record = "volfiles-" + volume;
        Path d = dir(volume);
        Path backup = log.dir(txnId).resolve(record + ".files");
        if (log.read(txnId, record, Backup.class).isEmpty()) {
            boolean existed = Files.isDirectory(d);
            Files.createDirectories(backup);
            if (existed) {
                for (String f : list(volume)) {
                    Files.copy(d.resolve(f), backup.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            log.write(txnId, record, new Backup(volume, existed));
        }
        List<String> changed = new ArrayList<>();
        if (files.isEmpty()) {
            deleteDir(d);
            return changed;
        }
        Files.createDirectories(d);
        for (Volfile f : files) {
            Path target = d.resolve(f.fileName());
            byte[] bytes = f.text().getBytes(StandardCharsets.UTF_8);
            if (Files.exists(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
                continue;
            }
            Path tmp = d.resolve(f.fileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed.add(f.fileName());
        }
        Set<String> keep = files.stream().map(Volfile::fileName).collect(Collectors.toSet());
        for (String f : list(volume)) {
            if (!keep.contains(f)) {
                Files.deleteIfExists(d.resolve(f));
                changed.add(f);
            }
        }
        return changed;
    }

    /** Puts back what {@link #replace} found; nothing when this transaction replaced nothing here. */
    public void restore(String txnId, String volume) throws IOException {
        String record = "volfiles-" + volume;
        Backup b = log.read(txnId, record, Backup.class).orElse(null);
        if (b == null) {
            return;
        }
        Path d = dir(volume);
        deleteDir(d);
        if (b.existed()) {
            Files.createDirectories(d);
            Path backup = log.dir(txnId).resolve(record + ".files");
            try (Stream<Path> s = Files.list(backup)) {
                for (Path f : s.toList()) {
                    Files.copy(f, d.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        log.delete(txnId, record);
    }

    private static void deleteDir(Path d) throws IOException {
        if (!Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
