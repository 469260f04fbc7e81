package dev.gdkit.core.plugin;

import dev.gdkit.core.event.Hook;
import dev.gdkit.core.transaction.Step;
import java.util.List;

/**
 * The one way to extend a node: a named bundle of steps and hooks (and, through the volgen and
 * daemon SPIs, translators, options and managed daemons). A plugin is installed on every node that
 * may run its steps; the engine refuses a transaction whose step a target node lacks.
 * Plugins are instantiated per node; they must not share mutable state between nodes.
 */
public interface Plugin {
    /** A unique name; prefix step names with it. */
    String name();

    default List<Step> steps() {
        return List.of();
    }

    default List<Hook> hooks() {
        return List.of();
    }
}
