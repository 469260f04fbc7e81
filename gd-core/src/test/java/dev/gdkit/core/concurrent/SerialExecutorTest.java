package dev.gdkit.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    @Test
    void runsTasksOneAtATimeInOrderEvenWhenOneThrows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> order = new ArrayList<>();
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 200; i++) {
                int n = i;
                serial.execute(() -> {
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    order.add(n);
                    concurrent.decrementAndGet();
                    if (n == 50) {
                        throw new IllegalStateException("boom");
                    }
                });
            }
            serial.execute(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(maxConcurrent.get()).isEqualTo(1);
            assertThat(order).hasSize(200).isSorted();
        } finally {
            pool.shutdownNow();
        }
    }
}
