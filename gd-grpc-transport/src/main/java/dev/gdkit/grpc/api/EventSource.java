package dev.gdkit.grpc.api;

import dev.gdkit.api.model.Event;
import java.util.function.Consumer;

/** The cluster's event stream as the management API's event feed reads it. */
public interface EventSource {
    /**
     * Calls {@code listener} with every event published from now on, in publication order, one at a
     * time, until the returned subscription is closed. The listener must not block.
     */
    Subscription subscribe(Consumer<Event> listener);

    /** A registration; {@link #close()} stops it (idempotent). */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
