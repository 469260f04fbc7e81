package dev.gdkit.core.store;

/**
 * Receives a watch's events. Calls for one watch come from one thread at a time, in order; a slow
 * listener delays only its own watch. A listener that throws has the exception logged and keeps
 * receiving events.
 */
@FunctionalInterface
public interface StoreListener {
    void onEvent(StoreEvent event);

    /** Called once, after a CREATED event was delivered for every key that existed at registration. */
    default void onInitialized() {
    }
}
