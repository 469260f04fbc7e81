package dev.gdkit.core.event;

import dev.gdkit.api.model.Event;
import dev.gdkit.core.concurrent.NamedThreads;
import dev.gdkit.core.concurrent.SerialExecutor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process {@link EventSink}: keeps the most recent events and runs hooks and subscribers,
 * each in publication order on its own serial queue.
 */
public final class EventBus implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final int capacity;
    private final Deque<Event> recent = new ArrayDeque<>();
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(new NamedThreads("gd-events"));

    public EventBus(int capacity) {
        if (capacity < 1) {
            throw dev.gdkit.api.error.GdException.invalid("event history capacity must be at least 1, got " + capacity, "use 1000");
        }
        this.capacity = capacity;
    }

    @Override
    public void publish(Event event) {
        synchronized (recent) {
            recent.addLast(event);
            while (recent.size() > capacity) {
                recent.removeFirst();
            }
        }
        for (Registration r : registrations) {
            if (r.hook.events().isEmpty() || r.hook.events().contains(event.name())) {
                r.executor.execute(() -> {
                    try {
                        r.hook.onEvent(event);
                    } catch (Exception e) {
                        LOG.warn("hook for {} failed: {}", event.name(), e.toString());
                    }
                });
            }
        }
    }

    /** Registers a hook; returns a handle that removes it. */
    public AutoCloseable register(Hook hook) {
        Registration r = new Registration(hook, new SerialExecutor(pool));
        registrations.add(r);
        return () -> registrations.remove(r);
    }

    /** The most recent events, oldest first. */
    public List<Event> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    private record Registration(Hook hook, SerialExecutor executor) {
    }
}
