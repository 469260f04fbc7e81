package dev.gdkit.api.client;

/** A running event watch; {@link #close()} cancels it. Closing twice is harmless. */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();
}
