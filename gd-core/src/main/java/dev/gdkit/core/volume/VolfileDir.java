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

    /**
     * The record of a volfile replacement: whether the folder existed and which files it held
     * before. The old versions of the files the replacement changed or removed are kept as hard
     * links next to the record, so a backup costs no copy.
     */
    public record Backup(String volume, boolean existed, List<String> before) {
        public Backup {
            before = before == null ? List.of() : List.copyOf(before);
        }
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

    /**
     * Makes the volume's folder hold exactly {@code files} without keeping any backup: for callers
     * that can recreate the old files themselves. Returns the names of files added, changed or removed.
     */
    public List<String> write(String volume, List<Volfile> files) throws IOException {
        return write(null, volume, files);
    }

    private List<String> write(String txnId, String volume, List<Volfile> files) throws IOException {
        String record = "volfiles-" + volume;
        Path d = dir(volume);
        List<String> before = list(volume);
        // what changes: files whose bytes differ or that are new, and files that go
        List<Volfile> writes = new ArrayList<>();
        for (Volfile f : files) {
            Path target = d.resolve(f.fileName());
            if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), f.text().getBytes(StandardCharsets.UTF_8))) {
                writes.add(f);
            }
        }
        Set<String> keep = files.stream().map(Volfile::fileName).collect(Collectors.toSet());
        List<String> removes = before.stream().filter(f -> !keep.contains(f)).toList();
        List<String> changed = new ArrayList<>();
        if (writes.isEmpty() && removes.isEmpty() && (files.isEmpty() || Files.isDirectory(d))) {
            return changed;
        }
        if (txnId != null && log.read(txnId, record, Backup.class).isEmpty()) {
            // the old version of every file about to change or go, linked (not copied) beside the record
            Path backup = Files.createDirectories(log.dir(txnId).resolve(record + ".files"));
            Set<String> existing = Set.copyOf(before);
            for (String name : java.util.stream.Stream.concat(writes.stream().map(Volfile::fileName), removes.stream()).toList()) {
                if (existing.contains(name)) {
                    Path saved = backup.resolve(name);
                    Files.deleteIfExists(saved);
                    try {
                        Files.createLink(saved, d.resolve(name));
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.copy(d.resolve(name), saved, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            log.write(txnId, record, new Backup(volume, Files.isDirectory(d), before));
        }
        if (files.isEmpty()) {
            deleteDir(d);
            changed.addAll(before);
            return changed;
        }
        Files.createDirectories(d);
        for (Volfile f : writes) {
            Path tmp = d.resolve(f.fileName() + ".tmp");
            Files.write(tmp, f.text().getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, d.resolve(f.fileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed.add(f.fileName());
        }
        for (String f : removes) {
            Files.deleteIfExists(d.resolve(f));
            changed.add(f);
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
        if (!b.existed()) {
            deleteDir(d);
        } else {
            Files.createDirectories(d);
            Set<String> before = Set.copyOf(b.before());
            for (String f : list(volume)) {
                if (!before.contains(f)) {
                    Files.deleteIfExists(d.resolve(f));
                }
            }
            Path backup = log.dir(txnId).resolve(record + ".files");
            if (Files.isDirectory(backup)) {
                try (Stream<Path> s = Files.list(backup)) {
                    for (Path f : s.toList()) {
                        Files.move(f, d.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING,
                                StandardCopyOption.ATOMIC_MOVE);
                    }
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
