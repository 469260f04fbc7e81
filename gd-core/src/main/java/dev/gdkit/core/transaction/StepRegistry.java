package dev.gdkit.core.transaction;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The steps one node can run, by name. Thread-safe; one per node, never global. */
public final class StepRegistry {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
    private final Map<String, Step> steps = new ConcurrentHashMap<>();

    /** Registers a step; a second step with the same name is refused. */
    public StepRegistry register(Step step) {
        if (!NAME.matcher(step.name()).matches()) {
            throw GdException.invalid("invalid step name '" + step.name() + "'",
                    "use lower-case letters, digits, '.', '_' and '-', for example 'volume-create.prepare-bricks'");
        }
        if (steps.putIfAbsent(step.name(), step) != null) {
            throw new GdException(ErrorCode.ALREADY_EXISTS, "step '" + step.name() + "' is already registered",
                    "give each step a unique name; plugins should prefix theirs with the plugin name");
        }
        return this;
    }

    public Optional<Step> find(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    public SortedSet<String> names() {
        return new TreeSet<>(steps.keySet());
    }
}
