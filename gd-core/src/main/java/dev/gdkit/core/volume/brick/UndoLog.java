package dev.gdkit.core.volume.brick;

import dev.gdkit.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A node's own record of what its volume steps changed, per transaction, under
 * {@code <workdir>/undo/<txnid>/}: written before the change, so an undo (even after this node
 * restarted, or when the run's outcome is unknown) knows exactly what to take back, and read back
 * from disk rather than from the step's outputs. Records of finished transactions are pruned.
 */
public final class UndoLog {
    private final Path root;

    public UndoLog(Path workdir) {
        this.root = workdir.resolve("undo");
    }

    public Path dir(String txnId) {
        return root.resolve(txnId);
    }

    /** Writes (replaces) a record atomically. */
    public void write(String txnId, String name, Object record) {
        try {
            Path d = dir(txnId);
            Files.createDirectories(d);
            Path tmp = d.resolve(name + ".tmp");
            Files.write(tmp, Json.write(record));
            Files.move(tmp, d.resolve(name + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write undo record " + name + " of transaction " + txnId, e);
        }
    }

    public <T> Optional<T> read(String txnId, String name, Class<T> type) {
        Path p = dir(txnId).resolve(name + ".json");
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readAllBytes(p), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read undo record " + p, e);
        }
    }

    /** The records of a transaction whose names start with {@code prefix}. */
    public <T> List<T> readAll(String txnId, String prefix, Class<T> type) {
        Path d = dir(txnId);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<T> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.sorted().toList()) {
                String f = p.getFileName().toString();
                if (f.startsWith(prefix) && f.endsWith(".json")) {
                    out.add(Json.read(Files.readAllBytes(p), type));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list undo records of " + txnId, e);
        }
        return out;
    }

    /** Deletes one record (and the transaction's folder when it is empty). */
    public void delete(String txnId, String name) {
        try {
            Files.deleteIfExists(dir(txnId).resolve(name + ".json"));
            deleteTree(dir(txnId).resolve(name + ".files"));
            try (Stream<Path> s = Files.list(dir(txnId))) {
                if (s.findAny().isEmpty()) {
                    Files.deleteIfExists(dir(txnId));
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing left
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete undo record " + name + " of " + txnId, e);
        }
    }

    /**
     * Deletes the records of every transaction {@code finished} says is over (committed or undone)
     * and that were last written more than {@code grace} ago: a node's view of the store may lag
     * behind the coordinator's, so a journal that looks absent right after it was created must not
     * cost a running transaction its undo records.
     */
    public void prune(Predicate<String> finished, java.time.Duration grace) {
        if (!Files.isDirectory(root)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - grace.toMillis();
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.toList()) {
                if (Files.getLastModifiedTime(d).toMillis() < cutoff && finished.test(d.getFileName().toString())) {
                    deleteTree(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune undo records under " + root, e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
