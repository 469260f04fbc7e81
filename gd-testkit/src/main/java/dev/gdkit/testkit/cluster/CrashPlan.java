package dev.gdkit.testkit.cluster;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the next coordinator crash happens: before step N is sent, after step N answered, or just
 * before the commit. One-shot: it fires once, then clears.
 */
public final class CrashPlan {
    /** A point in a coordinator's progress. */
    public enum When { BEFORE_STEP, AFTER_STEP, BEFORE_COMMIT }

    /** A crash point: {@code stepIndex} is ignored for BEFORE_COMMIT. */
    public record Point(When when, int stepIndex) {
        public static Point beforeStep(int i) {
            return new Point(When.BEFORE_STEP, i);
        }

        public static Point afterStep(int i) {
            return new Point(When.AFTER_STEP, i);
        }

        public static Point beforeCommit() {
            return new Point(When.BEFORE_COMMIT, -1);
        }
    }

    private final AtomicReference<Point> armed = new AtomicReference<>();

    public void arm(Point p) {
        armed.set(p);
    }

    public void disarm() {
        armed.set(null);
    }

    Optional<Point> takeIf(When when, int index) {
        Point p = armed.get();
        if (p != null && p.when() == when && (when == When.BEFORE_COMMIT || p.stepIndex() == index)
                && armed.compareAndSet(p, null)) {
            return Optional.of(p);
        }
        return Optional.empty();
    }
}
