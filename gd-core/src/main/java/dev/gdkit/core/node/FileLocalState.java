package dev.gdkit.core.node;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link LocalState} in one properties file, replaced atomically (write a temporary file, fsync,
 * rename) so a crash leaves either the old or the new content.
 */
public final class FileLocalState implements LocalState {
    private final Path file;

    public FileLocalState(Path file) {
        this.file = file;
    }

    @Override
    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(load().getProperty(key));
    }

    @Override
    public synchronized void put(String key, String value) {
        Properties p = load();
        p.setProperty(key, value);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "gd-kit node state");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new GdException(ErrorCode.INTERNAL, "cannot write node state " + file + ": " + e.getMessage(),
                    "check that the work directory is writable and the disk is not full");
        }
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new GdException(ErrorCode.INTERNAL, "cannot read node state " + file + ": " + e.getMessage(),
                        "check the file's permissions; remove it only if the node is to start as new");
            }
        }
        return p;
    }
}
