package dev.gdkit.core.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.memory.InMemoryStoreServer;
import dev.gdkit.core.transaction.CommitReadBack.Seen;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommitReadBackTest {
    private final InMemoryStoreServer server = InMemoryStoreServer.builder().build();
    private final ClusterStore store = server.connect("ns");

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCommitThatAppliedIsSeenAsApplied() {
        store.put("volumes/v", "old");
        List<StoreOp> ops = List.of(StoreOp.checkAbsent("locks/volume:v"), StoreOp.update("volumes/v", b("new"), 0),
                StoreOp.create("txns/t1", "journal"), StoreOp.put("usage/v", "1"));
        assertThat(CommitReadBack.check(store, ops)).isEqualTo(Seen.NOT_APPLIED);
        store.commit(ops);
        assertThat(CommitReadBack.check(store, ops)).isEqualTo(Seen.APPLIED);
    }

    @Test
    void aDeleteIsAppliedWhenTheKeyIsGone() {
        store.put("txns/t1", "j");
        List<StoreOp> ops = List.of(StoreOp.delete("txns/t1", 0));
        assertThat(CommitReadBack.check(store, ops)).isEqualTo(Seen.NOT_APPLIED);
        store.commit(ops);
        assertThat(CommitReadBack.check(store, ops)).isEqualTo(Seen.APPLIED);
    }

    @Test
    void anotherWritersChangeOfTheSameKeysCannotBeJudged() {
        store.put("volumes/v", "old");
        store.put("other", "x");
        List<StoreOp> ops = List.of(StoreOp.update("volumes/v", b("new"), 0), StoreOp.put("other", "mine"));
        // someone else wrote the same record value at the same version, but not the other key
        store.update("volumes/v", b("new"), 0);
        assertThat(CommitReadBack.check(store, ops)).isEqualTo(Seen.CANNOT_TELL);
        // an update at another version is not ours
        store.update("volumes/v", b("newer"), 1);
        assertThat(CommitReadBack.check(store, List.of(StoreOp.update("volumes/v", b("new"), 0)))).isEqualTo(Seen.NOT_APPLIED);
    }

    @Test
    void onlyConditionsCannotBeJudged() {
        assertThat(CommitReadBack.check(store, List.of(StoreOp.checkAbsent("locks/x")))).isEqualTo(Seen.CANNOT_TELL);
    }
}
