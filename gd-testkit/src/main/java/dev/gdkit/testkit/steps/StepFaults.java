package dev.gdkit.testkit.steps;

import dev.gdkit.api.model.NodeId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults for {@link RecordingSteps}: make a step fail (or be slow) on a node, for its run or its
 * undo, a given number of times. Shared by every node of a simulated cluster; thread-safe.
 */
public final class StepFaults {
    /** Which half of a step a fault applies to. */
    public enum Phase { RUN, UNDO }

    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, Runnable> afterRun = new ConcurrentHashMap<>();

    /**
     * Runs {@code action} once, right after the step's run succeeded on {@code node} and before
     * the node answers: the place to inject a partition, a crash or a lost reply deterministically.
     */
    public StepFaults afterRun(String step, NodeId node, Runnable action) {
        afterRun.put(key(step, node, Phase.RUN), action);
        return this;
    }

    /** The step's {@code phase} fails on {@code node} the next {@code times} times. */
    public StepFaults fail(String step, NodeId node, Phase phase, int times) {
        failures.put(key(step, node, phase), new AtomicInteger(times));
        return this;
    }

    /** The step's run fails on {@code node} the next time. */
    public StepFaults failRun(String step, NodeId node) {
        return fail(step, node, Phase.RUN, 1);
    }

    /** The step's {@code phase} takes {@code d} longer on {@code node}, every time. */
    public StepFaults delay(String step, NodeId node, Phase phase, Duration d) {
        delays.put(key(step, node, phase), d);
        return this;
    }

    public void clear() {
        failures.clear();
        delays.clear();
        afterRun.clear();
    }

    void ranOn(String step, NodeId node) {
        Runnable r = afterRun.remove(key(step, node, Phase.RUN));
        if (r != null) {
            r.run();
        }
    }

    boolean shouldFail(String step, NodeId node, Phase phase) {
        AtomicInteger left = failures.get(key(step, node, phase));
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    Duration delayOf(String step, NodeId node, Phase phase) {
        return delays.getOrDefault(key(step, node, phase), Duration.ZERO);
    }

    private static String key(String step, NodeId node, Phase phase) {
        return step + "|" + node.value() + "|" + phase;
    }
}
