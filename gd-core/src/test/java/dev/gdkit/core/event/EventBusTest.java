package dev.gdkit.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Event;
import dev.gdkit.api.model.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventBusTest {
    private static Event ev(String name, int i) {
        return new Event("e" + i, name, Map.of("i", Integer.toString(i)), NodeId.of("n1"), Instant.now());
    }

    @Test
    void hooksSeeTheirEventsInOrderAndAFailingHookDoesNotStopOthers() throws Exception {
        try (EventBus bus = new EventBus(3)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(5);
            bus.register(new Hook() {
                public Set<String> events() {
                    return Set.of("volume-created");
                }

                public void onEvent(Event e) {
                    seen.add(e.data().get("i"));
                    done.countDown();
                }
            });
            bus.register(new Hook() {
                public Set<String> events() {
                    return Set.of();
                }

                public void onEvent(Event e) {
                    throw new IllegalStateException("broken hook");
                }
            });
            for (int i = 0; i < 5; i++) {
                bus.publish(ev("volume-created", i));
                bus.publish(ev("peer-added", i));
            }
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).containsExactly("0", "1", "2", "3", "4");
            assertThat(bus.recent()).hasSize(3).extracting(Event::name).containsExactly("peer-added", "volume-created", "peer-added");
        }
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new EventBus(0)).isInstanceOf(GdException.class).hasMessageContaining("capacity");
    }
}
