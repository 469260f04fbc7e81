package dev.gdkit.testkit.volume;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.volume.brick.BrickFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults for the brick file system of a simulated cluster's nodes: make setting the volume-id
 * attribute or creating a directory fail on a node, a given number of times. Shared by every node;
 * thread-safe. {@link #wrap} puts them in front of a real {@link BrickFs}.
 */
public final class BrickFaults {
    /** The operations that can be made to fail. */
    public enum Op { SET_XATTR, CREATE_DIRECTORY, REMOVE_XATTR }

    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, Runnable> afterSet = new ConcurrentHashMap<>();

    /** {@code op} fails on {@code node} the next {@code times} times. */
    public BrickFaults fail(NodeId node, Op op, int times) {
        failures.put(node.value() + "|" + op, new AtomicInteger(times));
        return this;
    }

    /**
     * Runs {@code action} once, right after the volume-id was set on a brick of {@code node} and
     * before the step answers: the place to cut the node off deterministically.
     */
    public BrickFaults afterSetXattr(NodeId node, Runnable action) {
        afterSet.put(node.value(), action);
        return this;
    }

    public void clear() {
        failures.clear();
        afterSet.clear();
    }

    private void maybeFail(NodeId node, Op op, Path p) throws IOException {
        AtomicInteger left = failures.get(node.value() + "|" + op);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IOException("injected " + op + " failure on " + node + " for " + p);
        }
    }

    /** {@code real} for {@code node}, failing where these faults say. */
    public BrickFs wrap(NodeId node, BrickFs real) {
        return new BrickFs() {
            @Override
            public boolean exists(Path p) {
                return real.exists(p);
            }

            @Override
            public boolean isDirectory(Path p) {
                return real.isDirectory(p);
            }

            @Override
            public void createDirectory(Path p) throws IOException {
                maybeFail(node, Op.CREATE_DIRECTORY, p);
                real.createDirectory(p);
            }

            @Override
            public boolean deleteIfEmpty(Path p) throws IOException {
                return real.deleteIfEmpty(p);
            }

            @Override
            public Map<Path, Map<String, String>> xattrs(List<Path> paths, Set<String> names) throws IOException {
                return real.xattrs(paths, names);
            }

            @Override
            public void setXattr(Path p, String name, String hexValue) throws IOException {
                maybeFail(node, Op.SET_XATTR, p);
                real.setXattr(p, name, hexValue);
                Runnable after = afterSet.remove(node.value());
                if (after != null) {
                    after.run();
                }
            }

            @Override
            public void removeXattr(Path p, String name) throws IOException {
                maybeFail(node, Op.REMOVE_XATTR, p);
                real.removeXattr(p, name);
            }

            @Override
            public boolean isMountPoint(Path p) {
                return real.isMountPoint(p);
            }

            @Override
            public boolean onRootFileSystem(Path p) {
                return real.onRootFileSystem(p);
            }
        };
    }
}
