package dev.gdkit.core.event;

import dev.gdkit.api.model.Event;

/**
 * Code run when an event with a given name is published (GlusterFS's hook scripts, in-process).
 * Hooks run after the operation committed, on the event bus's thread, one at a time per hook, in
 * publication order. A hook that throws is logged; it never undoes the operation.
 */
public interface Hook {
    /** The event names it runs for; empty means every event. */
    java.util.Set<String> events();

    void onEvent(Event event) throws Exception;
}
