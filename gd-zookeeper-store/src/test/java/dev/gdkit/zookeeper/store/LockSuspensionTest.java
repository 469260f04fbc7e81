package dev.gdkit.zookeeper.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.core.store.SessionState;
import dev.gdkit.core.store.StoreLock;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A lock does not count as held while its session is suspended, and does again when the same session resumes. */
class LockSuspensionTest {
    @Test
    void aLockIsNotHeldWhileSuspendedAndHeldAgainWhenTheSameSessionReconnects() {
        Path dir = ZkTesting.tempDir("gd-zk-suspend");
        EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().baseDir(dir).build().start();
        try (ZooKeeperClusterStore store = ZooKeeperClusterStore.builder().connectString(server.connectString()).namespace("c1")
                .sessionTimeout(Duration.ofSeconds(20)).operationTimeout(Duration.ofSeconds(2)).build()) {
            List<SessionState> states = new CopyOnWriteArrayList<>();
            store.session().addStateListener(states::add);
            String session = store.session().id();
            StoreLock lock = store.session().tryLock("volume-v1", Duration.ofSeconds(5)).orElseThrow();
            assertThat(lock.isHeld()).isTrue();
            server.close();
            await(() -> states.contains(SessionState.SUSPENDED));
            assertThat(lock.isHeld()).isFalse();
            server.start();
            await(() -> store.session().state() == SessionState.CONNECTED);
            assertThat(store.session().id()).as("the same session resumed").isEqualTo(session);
            assertThat(lock.isHeld()).isTrue();
            assertThat(states).doesNotContain(SessionState.LOST);
            lock.release();
            assertThat(lock.isHeld()).isFalse();
        } finally {
            server.close();
            ZkTesting.delete(dir);
        }
    }

    private static void await(BooleanSupplier c) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
