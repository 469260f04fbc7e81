package dev.gdkit.core.store;

/** A registered prefix watch. Closing it stops delivery; events already queued may still arrive. */
public interface Watch extends AutoCloseable {
    String prefix();

    @Override
    void close();
}
