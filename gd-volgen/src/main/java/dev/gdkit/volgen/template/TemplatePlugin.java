package dev.gdkit.volgen.template;

/**
 * Changes graph templates without editing the built-in ones: each plugin receives every template
 * (already changed by the plugins before it) and returns it as it should be, typically through
 * {@link GraphTemplate#withInsertedAbove}, {@link GraphTemplate#without},
 * {@link GraphTemplate#withMovedAbove} or {@link GraphTemplate#withOptions}.
 * Implementations must be stateless or immutable, and deterministic.
 */
@FunctionalInterface
public interface TemplatePlugin {
    /** The template as this plugin wants it; return {@code template} itself to leave it unchanged. */
    GraphTemplate apply(GraphTemplate template);
}
