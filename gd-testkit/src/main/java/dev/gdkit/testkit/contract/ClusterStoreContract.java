package dev.gdkit.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.Election;
import dev.gdkit.core.store.SessionState;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreConflictException.Reason;
import dev.gdkit.core.store.StoreEvent;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreLock;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.core.store.Watch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The ClusterStore contract, as the javadoc of {@code dev.gdkit.core.store} states it. Every
 * implementation runs it by extending this class and providing {@link #newStore(String)} (a new
 * client, with its own session, of the same store); the fault hooks
 * ({@link #expireSession(ClusterStore)}, {@link #outage()}) are optional: tests that need them are
 * skipped (not passed) when an implementation cannot provide them.
 *
 * <p>Each test works in namespaces of its own, so implementations may share one server across
 * tests. Waiting for another client's view uses {@link #await(String, BooleanSupplier)}, bounded by
 * {@link #awaitTimeout()}; no assertion depends on how long anything takes.
 */
public abstract class ClusterStoreContract {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final List<ClusterStore> opened = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private String ns;

    /** A new client of the store under test, in {@code namespace}, with its own session. */
    protected abstract ClusterStore newStore(String namespace);

    /**
     * Ends {@code store}'s session as the store would when the client is presumed dead (for
     * ZooKeeper: the session expires on the server). Return false when the implementation cannot;
     * the tests that need it are then skipped.
     */
    protected boolean expireSession(ClusterStore store) {
        return false;
    }

    /** An outage the implementation can inject, or empty; the outage tests are then skipped. */
    protected Optional<ClusterStoreOutage> outage() {
        return Optional.empty();
    }

    /** How long to wait for something another client or a background thread must do. */
    protected Duration awaitTimeout() {
        return Duration.ofSeconds(30);
    }

    /** How many threads and increments the concurrency test runs. */
    protected int concurrentThreads() {
        return 6;
    }

    protected int incrementsPerThread() {
        return 25;
    }

    @BeforeEach
    void setUpNamespace(TestInfo info) {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("t");
        ns = "c" + NAMESPACES.incrementAndGet() + "-" + method + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    @AfterEach
    void closeAll() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        for (ClusterStore s : opened) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }

    /** A client in this test's namespace. */
    protected ClusterStore open() {
        return open(ns);
    }

    protected ClusterStore open(String namespace) {
        ClusterStore s = newStore(namespace);
        opened.add(s);
        return s;
    }

    protected String namespace() {
        return ns;
    }

    protected <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    protected void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + awaitTimeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + awaitTimeout() + " waiting until " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(Optional<Versioned> v) {
        return v.map(Versioned::valueAsString).orElse(null);
    }

    private static StoreConflictException conflict(Runnable r) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).isInstanceOf(StoreConflictException.class);
        return (StoreConflictException) t;
    }

    /** Every key below {@code key} (inclusive) with its value, read through children(). */
    private static Map<String, String> dump(ClusterStore s, String key) {
        Map<String, String> out = new TreeMap<>();
        s.get(key).ifPresent(v -> out.put(key, v.valueAsString()));
        dumpChildren(s, key, out);
        return out;
    }

    private static void dumpChildren(ClusterStore s, String key, Map<String, String> out) {
        for (Versioned c : s.children(key)) {
            out.put(c.key(), c.valueAsString() + "@" + c.version());
            dumpChildren(s, c.key(), out);
        }
    }

    // ------------------------------------------------------------------ reads, writes, versions

    @Test
    void namespaceIsTheOneAskedFor() {
        assertThat(open().namespace()).isEqualTo(namespace());
    }

    @Test
    void getOfAbsentKeyIsEmpty() {
        ClusterStore s = open();
        assertThat(s.get("volumes/none")).isEmpty();
        assertThat(s.get("none")).isEmpty();
    }

    @Test
    void getLatestSeesAnotherClientsCommitAtOnce() {
        ClusterStore writer = open();
        ClusterStore reader = open();
        assertThat(reader.getLatest("volumes/fresh")).isEmpty();
        for (int i = 0; i < 20; i++) {
            writer.put("volumes/fresh", "v" + i);
            Versioned seen = reader.getLatest("volumes/fresh").orElseThrow();
            assertThat(seen.valueAsString()).isEqualTo("v" + i);
            assertThat(seen.version()).isEqualTo(i);
        }
        writer.delete("volumes/fresh", 19);
        assertThat(reader.getLatest("volumes/fresh")).isEmpty();
    }

    @Test
    void getLatestRefusesABadKeyLikeGet() {
        ClusterStore s = open();
        assertThatThrownBy(() -> s.getLatest("/abs")).isInstanceOf(GdException.class);
        assertThatThrownBy(() -> s.getLatest("a//b")).isInstanceOf(GdException.class);
    }

    @Test
    void createThenGetReturnsValueVersionZeroAndRevision() {
        ClusterStore s = open();
        s.create("volumes/v1", b("one"));
        Versioned v = s.get("volumes/v1").orElseThrow();
        assertThat(v.key()).isEqualTo("volumes/v1");
        assertThat(v.valueAsString()).isEqualTo("one");
        assertThat(v.version()).isZero();
        assertThat(v.name()).isEqualTo("v1");
    }

    @Test
    void createOfExistingKeyFailsWithExistsNamingTheKeyAndChangesNothing() {
        ClusterStore s = open();
        s.create("k", b("first"));
        StoreConflictException e = conflict(() -> s.create("k", b("second")));
        assertThat(e.key()).isEqualTo("k");
        assertThat(e.reason()).isEqualTo(Reason.EXISTS);
        assertThat(e.code()).isEqualTo(ErrorCode.STORE_CONFLICT);
        assertThat(str(s.get("k"))).isEqualTo("first");
        assertThat(s.get("k").orElseThrow().version()).isZero();
    }

    @Test
    void putCreatesThenOverwritesWhateverTheVersion() {
        ClusterStore s = open();
        s.put("p", "a");
        assertThat(s.get("p").orElseThrow().version()).isZero();
        s.put("p", "b");
        s.put("p", "c");
        Versioned v = s.get("p").orElseThrow();
        assertThat(v.valueAsString()).isEqualTo("c");
        assertThat(v.version()).isEqualTo(2);
    }

    @Test
    void updateWithTheCurrentVersionWritesAndIncrementsTheVersion() {
        ClusterStore s = open();
        s.create("u", b("0"));
        s.update("u", b("1"), 0);
        s.update("u", b("2"), 1);
        Versioned v = s.get("u").orElseThrow();
        assertThat(v.valueAsString()).isEqualTo("2");
        assertThat(v.version()).isEqualTo(2);
    }

    @Test
    void updateWithAStaleVersionFailsWithVersionAndChangesNothing() {
        ClusterStore s = open();
        s.create("u", b("0"));
        s.update("u", b("1"), 0);
        StoreConflictException e = conflict(() -> s.update("u", b("stale"), 0));
        assertThat(e.key()).isEqualTo("u");
        assertThat(e.reason()).isEqualTo(Reason.VERSION);
        assertThat(str(s.get("u"))).isEqualTo("1");
        assertThat(s.get("u").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void updateOfAbsentKeyFailsWithMissing() {
        ClusterStore s = open();
        StoreConflictException e = conflict(() -> s.update("nothing/here", b("x"), 0));
        assertThat(e.key()).isEqualTo("nothing/here");
        assertThat(e.reason()).isEqualTo(Reason.MISSING);
        assertThat(s.get("nothing/here")).isEmpty();
        assertThat(s.get("nothing")).isEmpty();
    }

    @Test
    void updateWithAnyVersionOverwritesAnExistingKeyButNotAnAbsentOne() {
        ClusterStore s = open();
        s.create("any", b("0"));
        s.commit(List.of(StoreOp.update("any", b("1"), StoreOp.ANY_VERSION)));
        assertThat(str(s.get("any"))).isEqualTo("1");
        assertThat(conflict(() -> s.commit(List.of(StoreOp.update("gone", b("1"), StoreOp.ANY_VERSION)))).reason())
                .isEqualTo(Reason.MISSING);
    }

    @Test
    void deleteWithTheCurrentVersionRemovesTheKey() {
        ClusterStore s = open();
        s.create("d", b("x"));
        s.update("d", b("y"), 0);
        s.delete("d", 1);
        assertThat(s.get("d")).isEmpty();
    }

    @Test
    void deleteWithAnyVersionRemovesTheKey() {
        ClusterStore s = open();
        s.create("d", b("x"));
        s.commit(List.of(StoreOp.delete("d")));
        assertThat(s.get("d")).isEmpty();
    }

    @Test
    void deleteWithAStaleVersionFailsWithVersionAndKeepsTheKey() {
        ClusterStore s = open();
        s.create("d", b("x"));
        s.update("d", b("y"), 0);
        StoreConflictException e = conflict(() -> s.delete("d", 0));
        assertThat(e.key()).isEqualTo("d");
        assertThat(e.reason()).isEqualTo(Reason.VERSION);
        assertThat(str(s.get("d"))).isEqualTo("y");
    }

    @Test
    void deleteOfAbsentKeyFailsWithMissing() {
        ClusterStore s = open();
        StoreConflictException e = conflict(() -> s.delete("absent", StoreOp.ANY_VERSION));
        assertThat(e.key()).isEqualTo("absent");
        assertThat(e.reason()).isEqualTo(Reason.MISSING);
    }

    @Test
    void deleteOfAKeyWithChildrenIsRefusedWithNotEmptyAndChangesNothing() {
        ClusterStore s = open();
        s.create("vol/a", b("1"));
        s.create("vol/b", b("2"));
        StoreConflictException e = conflict(() -> s.delete("vol", StoreOp.ANY_VERSION));
        assertThat(e.key()).isEqualTo("vol");
        assertThat(e.reason()).isEqualTo(Reason.NOT_EMPTY);
        assertThat(s.get("vol")).isPresent();
        assertThat(s.children("vol")).extracting(Versioned::key).containsExactly("vol/a", "vol/b");
    }

    @Test
    void aDeletedKeyCreatedAgainStartsAtVersionZero() {
        ClusterStore s = open();
        s.create("r", b("a"));
        s.update("r", b("b"), 0);
        s.update("r", b("c"), 1);
        s.delete("r", 2);
        s.create("r", b("again"));
        Versioned v = s.get("r").orElseThrow();
        assertThat(v.version()).isZero();
        assertThat(v.valueAsString()).isEqualTo("again");
    }

    @Test
    void revisionsGrowAcrossKeysWithEveryWrite() {
        ClusterStore s = open();
        s.create("x", b("1"));
        long r1 = s.get("x").orElseThrow().revision();
        s.create("y", b("1"));
        long r2 = s.get("y").orElseThrow().revision();
        s.put("x", "2");
        long r3 = s.get("x").orElseThrow().revision();
        assertThat(r2).isGreaterThan(r1);
        assertThat(r3).isGreaterThan(r2);
        assertThat(s.get("y").orElseThrow().revision()).as("an untouched key keeps its revision").isEqualTo(r2);
    }

    @Test
    void commitReturnsTheRevisionOfItsWritesOrMinusOne() {
        ClusterStore s = open();
        long rev = s.commit(List.of(StoreOp.create("c1", "a"), StoreOp.put("c2", "b")));
        if (rev != -1) {
            assertThat(s.get("c1").orElseThrow().revision()).isEqualTo(rev);
            assertThat(s.get("c2").orElseThrow().revision()).isEqualTo(rev);
        }
        long rev2 = s.commit(List.of(StoreOp.update("c1", b("x"), 0)));
        if (rev2 != -1) {
            assertThat(rev2).isEqualTo(s.get("c1").orElseThrow().revision());
            if (rev != -1) {
                assertThat(rev2).isGreaterThan(rev);
            }
        }
    }

    @Test
    void emptyValuesAndTheLargestAllowedValueRoundTrip() {
        ClusterStore s = open();
        s.create("empty", new byte[0]);
        assertThat(s.get("empty").orElseThrow().value()).isEmpty();
        byte[] big = new byte[StoreKeys.MAX_VALUE_BYTES];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        s.put("big", big);
        assertThat(s.get("big").orElseThrow().value()).isEqualTo(big);
    }

    // ------------------------------------------------------------------ implicit parents, children, deleteTree

    @Test
    void writingAKeyCreatesItsMissingParentsEmpty() {
        ClusterStore s = open();
        s.create("a/b/c", b("leaf"));
        assertThat(s.get("a").orElseThrow().value()).isEmpty();
        assertThat(s.get("a/b").orElseThrow().value()).isEmpty();
        assertThat(str(s.get("a/b/c"))).isEqualTo("leaf");
        s.put("p/q", "v");
        assertThat(s.get("p")).isPresent();
    }

    @Test
    void anImplicitParentCanLaterBeCreatedOnlyWithPutOrUpdate() {
        ClusterStore s = open();
        s.create("vols/v/bricks", b("b"));
        assertThat(conflict(() -> s.create("vols/v", b("v"))).reason()).isEqualTo(Reason.EXISTS);
        s.update("vols/v", b("info"), 0);
        assertThat(str(s.get("vols/v"))).isEqualTo("info");
    }

    @Test
    void childrenAreTheDirectChildrenSortedByKey() {
        ClusterStore s = open();
        s.create("vols/c", b("3"));
        s.create("vols/a", b("1"));
        s.create("vols/b/deep", b("x"));
        s.create("volsx", b("not a child"));
        List<Versioned> kids = s.children("vols");
        assertThat(kids).extracting(Versioned::key).containsExactly("vols/a", "vols/b", "vols/c");
        assertThat(kids.get(0).valueAsString()).isEqualTo("1");
        assertThat(kids.get(1).value()).isEmpty();
        assertThat(kids.get(2).version()).isZero();
    }

    @Test
    void childrenOfAnAbsentOrLeafKeyAreEmpty() {
        ClusterStore s = open();
        s.create("leaf", b("x"));
        assertThat(s.children("leaf")).isEmpty();
        assertThat(s.children("absent")).isEmpty();
        assertThat(s.children("absent/deeper")).isEmpty();
    }

    @Test
    void deleteTreeRemovesTheKeyAndEverythingBelowButNotSiblings() {
        ClusterStore s = open();
        s.create("t/a", b("1"));
        s.create("t/b/c/d", b("2"));
        s.create("t2", b("sibling"));
        s.create("keep/t", b("other"));
        s.deleteTree("t");
        assertThat(s.get("t")).isEmpty();
        assertThat(s.get("t/b/c/d")).isEmpty();
        assertThat(s.children("t")).isEmpty();
        assertThat(str(s.get("t2"))).isEqualTo("sibling");
        assertThat(str(s.get("keep/t"))).isEqualTo("other");
    }

    @Test
    void deleteTreeOfAnAbsentKeyIsFineAndRepeatable() {
        ClusterStore s = open();
        s.deleteTree("never");
        s.create("once/x", b("1"));
        s.deleteTree("once");
        s.deleteTree("once");
        assertThat(s.get("once")).isEmpty();
    }

    // ------------------------------------------------------------------ atomic commits, every op kind

    @Test
    void aCommitAppliesEveryKindOfOperationTogether() {
        ClusterStore s = open();
        s.create("k/update", b("0"));
        s.create("k/delete", b("0"));
        s.create("k/check", b("0"));
        s.create("k/put", b("0"));
        s.commit(List.of(
                StoreOp.create("k/create", "new"),
                StoreOp.put("k/put", "put"),
                StoreOp.put("k/putnew", "fresh"),
                StoreOp.update("k/update", b("1"), 0),
                StoreOp.delete("k/delete", 0),
                StoreOp.check("k/check", 0),
                StoreOp.checkAbsent("k/absent")));
        assertThat(dump(s, "k")).containsExactly(
                Map.entry("k", ""),
                Map.entry("k/check", "0@0"),
                Map.entry("k/create", "new@0"),
                Map.entry("k/put", "put@1"),
                Map.entry("k/putnew", "fresh@0"),
                Map.entry("k/update", "1@1"));
    }

    /** For each kind of failing condition, the other operations (of every kind) are not applied. */
    @Test
    void aFailedConditionOfAnyKindAppliesNothingAndNamesTheKey() {
        ClusterStore s = open();
        s.create("f/exists", b("0"));
        s.create("f/v1", b("0"));
        s.update("f/v1", b("1"), 0);
        s.create("f/parent/child", b("c"));
        s.create("f/todelete", b("0"));
        s.create("f/toput", b("0"));
        Map<String, String> before = dump(s, "f");

        record Failing(StoreOp op, Reason reason) {
        }
        List<Failing> failures = List.of(
                new Failing(StoreOp.create("f/exists", "x"), Reason.EXISTS),
                new Failing(StoreOp.update("f/v1", b("x"), 0), Reason.VERSION),
                new Failing(StoreOp.update("f/missing", b("x"), 0), Reason.MISSING),
                new Failing(StoreOp.delete("f/v1", 0), Reason.VERSION),
                new Failing(StoreOp.delete("f/missing"), Reason.MISSING),
                new Failing(StoreOp.delete("f/parent"), Reason.NOT_EMPTY),
                new Failing(StoreOp.check("f/v1", 0), Reason.VERSION),
                new Failing(StoreOp.check("f/missing", StoreOp.ANY_VERSION), Reason.MISSING),
                new Failing(StoreOp.checkAbsent("f/exists"), Reason.EXISTS),
                new Failing(StoreOp.checkAbsent("f/parent/child"), Reason.EXISTS));
        for (Failing f : failures) {
            List<StoreOp> ops = List.of(
                    StoreOp.create("f/new/deep", "n"),
                    StoreOp.put("f/toput", "changed"),
                    StoreOp.put("f/putnew", "p"),
                    StoreOp.update("f/exists", b("changed"), 0),
                    StoreOp.delete("f/todelete", 0),
                    StoreOp.check("f/v1", 1),
                    StoreOp.checkAbsent("f/nothing"),
                    f.op());
            StoreConflictException e = conflict(() -> s.commit(ops));
            assertThat(e.key()).as("conflict key of %s", f.op()).isEqualTo(f.op().key());
            assertThat(e.reason()).as("reason of %s", f.op()).isEqualTo(f.reason());
            assertThat(dump(s, "f")).as("after failing %s", f.op()).isEqualTo(before);
            assertThat(s.get("f/new")).as("implicit parent of a failed commit").isEmpty();
        }
    }

    @Test
    void theFailingConditionMayComeFirstInTheCommit() {
        ClusterStore s = open();
        s.create("g/a", b("0"));
        StoreConflictException e = conflict(() -> s.commit(List.of(
                StoreOp.check("g/a", 5), StoreOp.create("g/b", "b"), StoreOp.put("g/a", "changed"))));
        assertThat(e.key()).isEqualTo("g/a");
        assertThat(s.get("g/b")).isEmpty();
        assertThat(str(s.get("g/a"))).isEqualTo("0");
    }

    @Test
    void checkAbsentPassesForAKeyWhoseParentsAreMissing() {
        ClusterStore s = open();
        s.commit(List.of(StoreOp.checkAbsent("no/such/parent/key"), StoreOp.create("made", "1")));
        assertThat(str(s.get("made"))).isEqualTo("1");
        assertThat(s.get("no")).isEmpty();
    }

    @Test
    void operationsOfOneCommitSeeTheEarlierOnes() {
        ClusterStore s = open();
        s.commit(List.of(StoreOp.create("seq/a", "1"), StoreOp.update("seq/a", b("2"), 0), StoreOp.check("seq/a", 1)));
        Versioned v = s.get("seq/a").orElseThrow();
        assertThat(v.valueAsString()).isEqualTo("2");
        assertThat(v.version()).isEqualTo(1);
    }

    @Test
    void conveniencesMapToTheirOperations() {
        ClusterStore s = open();
        s.create("conv", b("a"));
        s.put("conv", b("b"));
        s.update("conv", b("c"), 1);
        assertThat(s.get("conv").orElseThrow().version()).isEqualTo(2);
        s.delete("conv", 2);
        assertThat(s.get("conv")).isEmpty();
    }

    // ------------------------------------------------------------------ validation

    @Test
    void invalidKeysAreRefusedWithStoreInvalidNamingTheKey() {
        ClusterStore s = open();
        String longSegment = "x".repeat(201);
        for (String bad : List.of("", "/lead", "trail/", "a//b", "a/./b", "..", "a/../b", "sp ace", "star*", "ü", longSegment)) {
            assertInvalid(() -> s.get(bad), bad);
            assertInvalid(() -> s.put(bad, "v"), bad);
            assertInvalid(() -> s.commit(List.of(StoreOp.check(bad, 0))), bad);
            assertInvalid(() -> s.children(bad), bad);
            assertInvalid(() -> s.deleteTree(bad), bad);
            assertInvalid(() -> s.watch(bad, e -> { }), bad);
        }
        assertInvalid(() -> s.get(null), "");
    }

    private static void assertInvalid(Runnable r, String key) {
        Throwable t = catchThrowable(r::run);
        assertThat(t).as("for key '%s'", key).isInstanceOf(GdException.class);
        assertThat(((GdException) t).code()).as("for key '%s'", key).isEqualTo(ErrorCode.STORE_INVALID);
        if (key != null && !key.isEmpty()) {
            assertThat(t.getMessage()).contains(key);
        }
    }

    @Test
    void aTooLargeOrNullValueIsRefusedAndNothingOfTheCommitApplies() {
        ClusterStore s = open();
        byte[] tooBig = new byte[StoreKeys.MAX_VALUE_BYTES + 1];
        Throwable t = catchThrowable(() -> s.commit(List.of(StoreOp.create("ok", "1"), StoreOp.put("huge", tooBig))));
        assertThat(t).isInstanceOf(GdException.class);
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.STORE_INVALID);
        assertThat(t.getMessage()).contains("huge").contains(Integer.toString(tooBig.length));
        assertThat(s.get("ok")).isEmpty();
        Throwable n = catchThrowable(() -> s.create("nullvalue", (byte[]) null));
        assertThat(n).isInstanceOf(GdException.class);
        assertThat(((GdException) n).code()).isEqualTo(ErrorCode.STORE_INVALID);
        assertThat(s.get("nullvalue")).isEmpty();
    }

    // ------------------------------------------------------------------ watches

    /** Collects a watch's events and marks where onInitialized came. */
    protected static final class Recorder implements dev.gdkit.core.store.StoreListener {
        static final StoreEvent INITIALIZED = new StoreEvent(StoreEvent.Type.CREATED, "<initialized>", null, -2, -2);
        final List<StoreEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch initialized = new CountDownLatch(1);
        final AtomicInteger initializedCalls = new AtomicInteger();

        @Override
        public void onEvent(StoreEvent event) {
            events.add(event);
        }

        @Override
        public void onInitialized() {
            initializedCalls.incrementAndGet();
            events.add(INITIALIZED);
            initialized.countDown();
        }

        List<String> described() {
            List<String> out = new ArrayList<>();
            for (StoreEvent e : events) {
                out.add(e == INITIALIZED ? "INIT" : e.type() + " " + e.key() + (e.type() == StoreEvent.Type.DELETED ? ""
                        : "=" + new String(e.value(), StandardCharsets.UTF_8) + "@" + e.version()));
            }
            return out;
        }

        boolean saw(String description) {
            return described().contains(description);
        }

        /** Whether a CREATED or UPDATED event brought {@code key} to {@code value}. */
        boolean sawValue(String key, String value) {
            for (StoreEvent e : events) {
                if (e != INITIALIZED && e.key().equals(key) && e.type() != StoreEvent.Type.DELETED
                        && new String(e.value(), StandardCharsets.UTF_8).equals(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    private Recorder watch(ClusterStore s, String prefix) {
        Recorder r = new Recorder();
        closeLater(s.watch(prefix, r));
        await("the watch on " + prefix + " is initialized", () -> r.initialized.getCount() == 0);
        return r;
    }

    @Test
    void aWatchDeliversExistingKeysParentsFirstThenInitializedThenChanges() {
        ClusterStore s = open();
        s.create("w/b/2", b("b2"));
        s.create("w/a", b("a"));
        s.create("w/b/1", b("b1"));
        s.create("wx", b("outside"));
        Recorder r = watch(s, "w");
        List<String> initial = r.described();
        assertThat(initial).containsExactlyInAnyOrder("CREATED w=@0", "CREATED w/a=a@0", "CREATED w/b=@0",
                "CREATED w/b/1=b1@0", "CREATED w/b/2=b2@0", "INIT");
        assertThat(initial.get(initial.size() - 1)).isEqualTo("INIT");
        assertThat(initial.indexOf("CREATED w=@0")).isLessThan(initial.indexOf("CREATED w/a=a@0"));
        assertThat(initial.indexOf("CREATED w/b=@0")).isLessThan(initial.indexOf("CREATED w/b/1=b1@0"))
                .isLessThan(initial.indexOf("CREATED w/b/2=b2@0"));

        s.put("w/a", "a2");
        s.create("w/c", b("c"));
        s.delete("w/b/1", 0);
        s.put("wx", "still outside");
        await("the changes arrive", () -> r.saw("DELETED w/b/1"));
        List<String> later = r.described().subList(initial.size(), r.described().size());
        // the contract orders the events of one key; these are of different keys
        assertThat(later).containsExactlyInAnyOrder("UPDATED w/a=a2@1", "CREATED w/c=c@0", "DELETED w/b/1");
        assertThat(r.initializedCalls.get()).isEqualTo(1);
    }

    @Test
    void aWatchOnAnAbsentPrefixInitializesEmptyAndSeesItsCreation() {
        ClusterStore s = open();
        s.create("other", b("x"));
        Recorder r = watch(s, "later/here");
        assertThat(r.described()).containsExactly("INIT");
        s.create("later/here/x", b("1"));
        await("the creation arrives", () -> r.saw("CREATED later/here/x=1@0"));
        assertThat(r.described()).first().isEqualTo("INIT");
        assertThat(r.described()).containsExactlyInAnyOrder("INIT", "CREATED later/here=@0", "CREATED later/here/x=1@0");
    }

    @Test
    void aWatchSeesEventsOfOneKeyInTheOrderTheyWereApplied() {
        ClusterStore s = open();
        s.create("order/k", b("0"));
        Recorder r = watch(s, "order");
        int n = 30;
        for (int i = 1; i <= n; i++) {
            s.update("order/k", b(Integer.toString(i)), i - 1);
        }
        s.delete("order/k", n);
        s.create("order/k", b("reborn"));
        await("the last event arrives", () -> r.saw("CREATED order/k=reborn@0"));
        List<Integer> versions = new ArrayList<>();
        List<String> tail = new ArrayList<>();
        boolean afterInit = false;
        for (StoreEvent e : r.events) {
            if (e == Recorder.INITIALIZED) {
                afterInit = true;
                continue;
            }
            if (afterInit && e.key().equals("order/k")) {
                if (e.type() == StoreEvent.Type.UPDATED) {
                    versions.add(e.version());
                    assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(e.version()));
                } else {
                    tail.add(e.type().name());
                }
            }
        }
        // A watch may coalesce quick successive changes of a key (ZooKeeper watches say "changed",
        // the data is read after), but never delivers an older state after a newer one.
        assertThat(versions).isSorted().doesNotHaveDuplicates().allSatisfy(v -> assertThat(v).isBetween(1, n));
        assertThat(tail).containsExactly("DELETED", "CREATED");
    }

    @Test
    void anEventCarriesTheNewValueVersionAndRevision() {
        ClusterStore s = open();
        Recorder r = watch(s, "ev");
        s.create("ev/k", b("v0"));
        s.update("ev/k", b("v1"), 0);
        await("the update arrives", () -> r.sawValue("ev/k", "v1"));
        Versioned now = s.get("ev/k").orElseThrow();
        StoreEvent last = r.events.get(r.events.size() - 1);
        assertThat(last.version()).isEqualTo(now.version());
        if (last.revision() != -1) {
            assertThat(last.revision()).isEqualTo(now.revision());
        }
    }

    @Test
    void aWatchSeesAnotherClientsChanges() {
        ClusterStore watcher = open();
        ClusterStore writer = open();
        Recorder r = watch(watcher, "shared");
        writer.create("shared/x", b("from writer"));
        await("the other client's write arrives", () -> r.saw("CREATED shared/x=from writer@0"));
    }

    @Test
    void closingAWatchStopsDelivery() {
        ClusterStore s = open();
        Recorder closed = new Recorder();
        Watch w = s.watch("cw", closed);
        await("initialized", () -> closed.initialized.getCount() == 0);
        s.create("cw/before", b("1"));
        await("the first event arrives", () -> closed.saw("CREATED cw/before=1@0"));
        w.close();
        int seen = closed.events.size();
        Recorder witness = watch(s, "cw");
        s.create("cw/after", b("2"));
        await("a live watch saw the later write", () -> witness.saw("CREATED cw/after=2@0"));
        assertThat(closed.events).hasSize(seen);
        assertThat(w.prefix()).isEqualTo("cw");
        w.close();
    }

    @Test
    void aListenerThatThrowsKeepsReceivingEvents() {
        ClusterStore s = open();
        List<String> got = new CopyOnWriteArrayList<>();
        closeLater(s.watch("thr", e -> {
            got.add(e.key());
            throw new IllegalStateException("listener bug");
        }));
        s.create("thr/a", b("1"));
        s.create("thr/b", b("2"));
        await("both events arrive", () -> got.contains("thr/b"));
        assertThat(got).contains("thr/a", "thr/b");
    }

    @Test
    void aSlowListenerDelaysOnlyItsOwnWatch() throws Exception {
        ClusterStore s = open();
        CountDownLatch release = new CountDownLatch(1);
        closeLater(s.watch("slow", e -> {
            try {
                release.await(awaitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }));
        Recorder fast = watch(s, "slow");
        s.create("slow/x", b("1"));
        await("the other watch gets the event while the slow one blocks", () -> fast.saw("CREATED slow/x=1@0"));
        release.countDown();
    }

    // ------------------------------------------------------------------ sessions and ephemeral keys

    @Test
    void aNewSessionIsConnectedAndHasAnId() {
        ClusterStore s = open();
        assertThat(s.session().state()).isEqualTo(SessionState.CONNECTED);
        assertThat(s.session().id()).isNotBlank();
        assertThat(open().session().id()).isNotEqualTo(s.session().id());
    }

    @Test
    void anEphemeralKeyIsVisibleToOthersAndVanishesWhenItsClientCloses() {
        ClusterStore owner = open();
        ClusterStore other = open();
        Recorder r = watch(other, "alive");
        owner.session().createEphemeral("alive/n1", b("pid 1"));
        assertThat(str(owner.get("alive/n1"))).isEqualTo("pid 1");
        await("the other client sees the ephemeral key", () -> other.get("alive/n1").isPresent());
        List<SessionState> states = new CopyOnWriteArrayList<>();
        owner.session().addStateListener(states::add);
        owner.close();
        assertThat(owner.session().state()).isEqualTo(SessionState.CLOSED);
        await("the ephemeral key is gone for the other client", () -> other.get("alive/n1").isEmpty());
        await("its watch saw it go", () -> r.saw("DELETED alive/n1"));
        assertThat(other.get("alive")).as("the implicit parent stays").isPresent();
    }

    @Test
    void createEphemeralOfAnExistingKeyFailsWithExists() {
        ClusterStore s = open();
        s.create("e/taken", b("x"));
        StoreConflictException e = conflict(() -> s.session().createEphemeral("e/taken", b("y")));
        assertThat(e.key()).isEqualTo("e/taken");
        assertThat(e.reason()).isEqualTo(Reason.EXISTS);
        s.session().createEphemeral("e/mine", b("1"));
        assertThat(conflict(() -> open().session().createEphemeral("e/mine", b("2"))).reason()).isEqualTo(Reason.EXISTS);
    }

    @Test
    void anEphemeralKeyCanBeUpdatedAndDeletedLikeAnyOther() {
        ClusterStore s = open();
        s.session().createEphemeral("eph", b("1"));
        s.update("eph", b("2"), 0);
        assertThat(s.get("eph").orElseThrow().version()).isEqualTo(1);
        s.delete("eph", 1);
        assertThat(s.get("eph")).isEmpty();
    }

    @Test
    void whenTheSessionExpiresListenersSeeLostAndEphemeralKeysVanish() {
        ClusterStore owner = open();
        ClusterStore other = open();
        String before = owner.session().id();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        owner.session().addStateListener(states::add);
        owner.session().createEphemeral("alive/n2", b("x"));
        owner.create("durable", b("stays"));
        await("the other client sees the ephemeral key", () -> other.get("alive/n2").isPresent());
        assumeTrue(expireSession(owner), "this implementation cannot expire a session");
        await("the session listener sees LOST", () -> states.contains(SessionState.LOST));
        await("the ephemeral key is gone", () -> other.get("alive/n2").isEmpty());
        assertThat(str(other.get("durable"))).isEqualTo("stays");
        // the client may get a new session; nothing is re-created for it
        await("the client works again", () -> {
            try {
                return owner.get("durable").isPresent();
            } catch (StoreUnavailableException e) {
                return false;
            }
        });
        assertThat(owner.get("alive/n2")).isEmpty();
        if (owner.session().state() == SessionState.CONNECTED) {
            assertThat(owner.session().id()).isNotEqualTo(before);
        }
    }

    // ------------------------------------------------------------------ locks

    @Test
    void aLockExcludesOtherSessionsUntilReleased() {
        ClusterStore a = open();
        ClusterStore b = open();
        StoreLock held = a.session().tryLock("vol-v1", Duration.ofSeconds(5)).orElseThrow();
        assertThat(held.isHeld()).isTrue();
        assertThat(held.name()).isEqualTo("vol-v1");
        assertThat(b.session().tryLock("vol-v1", Duration.ofMillis(200))).isEmpty();
        held.release();
        assertThat(held.isHeld()).isFalse();
        StoreLock second = b.session().tryLock("vol-v1", Duration.ofSeconds(10)).orElseThrow();
        assertThat(second.isHeld()).isTrue();
        second.close();
    }

    @Test
    void locksWithDifferentNamesAreIndependent() {
        ClusterStore a = open();
        ClusterStore b = open();
        StoreLock l1 = a.session().tryLock("vol-a", Duration.ofSeconds(5)).orElseThrow();
        StoreLock l2 = b.session().tryLock("vol-b", Duration.ofSeconds(5)).orElseThrow();
        assertThat(l1.isHeld()).isTrue();
        assertThat(l2.isHeld()).isTrue();
        l1.release();
        l2.release();
    }

    @Test
    void aLockIsNotReentrantForItsOwnSession() {
        ClusterStore a = open();
        StoreLock held = a.session().tryLock("nr", Duration.ofSeconds(5)).orElseThrow();
        assertThat(a.session().tryLock("nr", Duration.ofMillis(200))).isEmpty();
        held.release();
        a.session().tryLock("nr", Duration.ofSeconds(10)).orElseThrow().release();
    }

    @Test
    void aWaitingTryLockGetsTheLockWhenItIsReleased() throws Exception {
        ClusterStore a = open();
        ClusterStore b = open();
        StoreLock held = a.session().tryLock("handoff", Duration.ofSeconds(5)).orElseThrow();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<StoreLock>> waiting = ex.submit(() -> b.session().tryLock("handoff", awaitTimeout()));
            held.release();
            Optional<StoreLock> got = waiting.get(awaitTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            assertThat(got).isPresent();
            got.get().release();
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void releaseIsIdempotentAndMayRunOnAnotherThread() throws Exception {
        ClusterStore a = open();
        ClusterStore b = open();
        StoreLock held = a.session().tryLock("idem", Duration.ofSeconds(5)).orElseThrow();
        Thread t = new Thread(held::release);
        t.start();
        t.join();
        held.release();
        held.close();
        assertThat(held.isHeld()).isFalse();
        StoreLock other = b.session().tryLock("idem", Duration.ofSeconds(10)).orElseThrow();
        held.release();
        assertThat(other.isHeld()).as("a repeated release must not free someone else's lock").isTrue();
        assertThat(a.session().tryLock("idem", Duration.ofMillis(200))).isEmpty();
        other.release();
    }

    @Test
    void aLockIsFreedWhenItsClientCloses() {
        ClusterStore a = open();
        ClusterStore b = open();
        a.session().tryLock("closing", Duration.ofSeconds(5)).orElseThrow();
        a.close();
        assertThat(b.session().tryLock("closing", awaitTimeout())).isPresent();
    }

    @Test
    void aLockIsLostAndFreedWhenItsSessionExpires() {
        ClusterStore a = open();
        ClusterStore b = open();
        StoreLock held = a.session().tryLock("expiring", Duration.ofSeconds(5)).orElseThrow();
        assumeTrue(expireSession(a), "this implementation cannot expire a session");
        await("the holder sees its lock lost", () -> !held.isHeld());
        Optional<StoreLock> taken = b.session().tryLock("expiring", awaitTimeout());
        assertThat(taken).isPresent();
        held.release();
        assertThat(taken.get().isHeld()).isTrue();
        taken.get().release();
    }

    @Test
    void invalidLockAndElectionNamesAreRefused() {
        ClusterStore a = open();
        assertInvalid(() -> a.session().tryLock("bad name", Duration.ofSeconds(1)), "bad name");
        assertInvalid(() -> a.session().elect("bad name", "n1", leader -> { }), "bad name");
    }

    // ------------------------------------------------------------------ elections

    private record Candidate(String id, ClusterStore store, Election election, List<Boolean> changes) {
    }

    private Candidate candidate(String election, String id) {
        ClusterStore s = open();
        List<Boolean> changes = new CopyOnWriteArrayList<>();
        Election e = closeLater(s.session().elect(election, id, changes::add));
        return new Candidate(id, s, e, changes);
    }

    private static List<Candidate> leaders(List<Candidate> cs) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : cs) {
            if (c.election().isLeader()) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void anElectionHasExactlyOneLeaderThatEveryParticipantKnows() {
        List<Candidate> cs = List.of(candidate("cleanup", "node-1"), candidate("cleanup", "node-2"), candidate("cleanup", "node-3"));
        await("one leader is elected", () -> leaders(cs).size() == 1);
        Candidate leader = leaders(cs).get(0);
        String leaderId = leader.election().leader().orElseThrow();
        assertThat(List.of("node-1", "node-2", "node-3")).contains(leaderId);
        for (Candidate c : cs) {
            await("every participant knows the leader", () -> c.election().leader().equals(Optional.of(leaderId)));
            assertThat(c.election().name()).isEqualTo("cleanup");
        }
        await("the leader's listener was told", () -> leader.changes().contains(true));
        assertThat(leaders(cs)).hasSize(1);
    }

    @Test
    void whenTheLeaderWithdrawsAnotherParticipantLeads() {
        List<Candidate> cs = new ArrayList<>(List.of(candidate("e1", "n1"), candidate("e1", "n2"), candidate("e1", "n3")));
        await("a leader", () -> leaders(cs).size() == 1);
        Candidate first = leaders(cs).get(0);
        first.election().close();
        cs.remove(first);
        assertThat(first.election().isLeader()).isFalse();
        await("another participant leads", () -> leaders(cs).size() == 1);
        assertThat(leaders(cs).get(0)).isNotSameAs(first);
        await("the old leader was told", () -> first.changes().contains(false));
    }

    @Test
    void whenTheLeadersClientClosesAnotherParticipantLeads() {
        List<Candidate> cs = new ArrayList<>(List.of(candidate("e2", "n1"), candidate("e2", "n2")));
        await("a leader", () -> leaders(cs).size() == 1);
        Candidate first = leaders(cs).get(0);
        first.store().close();
        cs.remove(first);
        await("the other participant leads", () -> leaders(cs).size() == 1);
        Candidate next = leaders(cs).get(0);
        assertThat(next.id()).isNotEqualTo(first.id());
        await("the new leader knows itself as leader", () -> next.election().leader().equals(Optional.of(next.id())));
    }

    @Test
    void whenTheLeadersSessionExpiresAnotherParticipantLeads() {
        List<Candidate> cs = new ArrayList<>(List.of(candidate("e3", "n1"), candidate("e3", "n2")));
        await("a leader", () -> leaders(cs).size() == 1);
        Candidate first = leaders(cs).get(0);
        Candidate second = cs.get(0) == first ? cs.get(1) : cs.get(0);
        assumeTrue(expireSession(first.store()), "this implementation cannot expire a session");
        await("the other participant leads", () -> second.election().isLeader());
        await("the expired one was told it lost leadership", () -> first.changes().contains(false));
    }

    // ------------------------------------------------------------------ isolation and concurrency

    @Test
    void namespacesAreIsolated() {
        ClusterStore a = open(namespace() + "-a");
        ClusterStore b = open(namespace() + "-b");
        assertThat(a.namespace()).isNotEqualTo(b.namespace());
        Recorder rb = watch(b, "vols");
        a.create("vols/v1", b("in a"));
        b.create("vols/v1", b("in b"));
        b.update("vols/v1", b("in b 2"), 0);
        assertThat(str(a.get("vols/v1"))).isEqualTo("in a");
        assertThat(a.get("vols/v1").orElseThrow().version()).isZero();
        a.deleteTree("vols");
        assertThat(str(b.get("vols/v1"))).isEqualTo("in b 2");
        StoreLock la = a.session().tryLock("same", Duration.ofSeconds(5)).orElseThrow();
        StoreLock lb = b.session().tryLock("same", Duration.ofSeconds(5)).orElseThrow();
        assertThat(la.isHeld()).isTrue();
        assertThat(lb.isHeld()).isTrue();
        await("b's watch saw b's update", () -> rb.sawValue("vols/v1", "in b 2"));
        assertThat(rb.described()).noneMatch(d -> d.contains("in a")).doesNotContain("DELETED vols/v1");
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        int threads = concurrentThreads();
        int each = incrementsPerThread();
        List<ClusterStore> clients = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            // half the threads have a client each, the others share those clients
            clients.add(i < (threads + 1) / 2 ? open() : clients.get(i % ((threads + 1) / 2)));
        }
        clients.get(0).create("counter", b("0"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Integer> committedValues = Collections.synchronizedSet(new HashSet<>());
        AtomicInteger conflicts = new AtomicInteger();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ClusterStore s = clients.get(t);
                results.add(pool.submit((Callable<Integer>) () -> {
                    int done = 0;
                    while (done < each) {
                        Versioned v = s.get("counter").orElseThrow();
                        int next = Integer.parseInt(v.valueAsString()) + 1;
                        try {
                            s.update("counter", b(Integer.toString(next)), v.version());
                            if (!committedValues.add(next)) {
                                throw new AssertionError("value " + next + " was committed twice");
                            }
                            done++;
                        } catch (StoreConflictException e) {
                            assertThat(e.reason()).isEqualTo(Reason.VERSION);
                            conflicts.incrementAndGet();
                        }
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(awaitTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
            }
            Versioned end = clients.get(0).get("counter").orElseThrow();
            assertThat(total).isEqualTo(threads * each);
            assertThat(end.valueAsString()).isEqualTo(Integer.toString(threads * each));
            assertThat(end.version()).isEqualTo(threads * each);
            assertThat(committedValues).hasSize(threads * each);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        int n = 6;
        List<ClusterStore> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(open());
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ClusterStore s = clients.get(i);
                String me = "client-" + i;
                fs.add(pool.submit(() -> {
                    go.await();
                    try {
                        s.commit(List.of(StoreOp.create("race/deep/key", me), StoreOp.put("race/log/" + me, "tried")));
                        winners.incrementAndGet();
                    } catch (StoreConflictException e) {
                        if (e.reason() != Reason.EXISTS || !e.key().equals("race/deep/key")) {
                            unexpected.set(e);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(awaitTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected.get()).isNull();
        assertThat(winners.get()).isEqualTo(1);
        String winner = clients.get(0).get("race/deep/key").orElseThrow().valueAsString();
        assertThat(clients.get(0).children("race/log")).extracting(Versioned::name).containsExactly(winner);
    }

    @Test
    void concurrentPutsOfNewKeysUnderOneNewParentAllApply() throws Exception {
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<ClusterStore> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(open());
        }
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ClusterStore s = clients.get(i);
                int id = i;
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int j = 0; j < 5; j++) {
                        s.put("fresh/parent/k" + id + "-" + j, "v");
                        s.put("fresh/shared", "by " + id);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(awaitTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(clients.get(0).children("fresh/parent")).hasSize(n * 5);
        assertThat(clients.get(0).get("fresh/shared").orElseThrow().version()).isEqualTo(n * 5 - 1);
    }

    // ------------------------------------------------------------------ outages and closed clients

    @Test
    void duringAnOutageOperationsFailWithARetryableErrorAndWorkAfterwards() {
        Optional<ClusterStoreOutage> outage = outage();
        assumeTrue(outage.isPresent(), "this implementation cannot inject an outage");
        ClusterStore s = open();
        s.create("before", b("1"));
        boolean writeOutcomeUnknown;
        outage.get().begin();
        try {
            Throwable read = catchThrowable(() -> s.get("before"));
            assertThat(read).isInstanceOf(StoreUnavailableException.class);
            assertThat(((StoreUnavailableException) read).code().retryable()).isTrue();
            assertThat(((StoreUnavailableException) read).outcomeUnknown()).isFalse();
            Throwable write = catchThrowable(() -> s.create("during", b("2")));
            assertThat(write).isInstanceOf(StoreUnavailableException.class);
            writeOutcomeUnknown = ((StoreUnavailableException) write).outcomeUnknown();
            assertThat(s.session().state()).isNotEqualTo(SessionState.CONNECTED);
        } finally {
            outage.get().end();
        }
        await("the client works again", () -> {
            try {
                return s.get("before").isPresent();
            } catch (StoreUnavailableException e) {
                return false;
            }
        });
        s.put("after", "3");
        assertThat(str(s.get("after"))).isEqualTo("3");
        if (!writeOutcomeUnknown) {
            assertThat(s.get("during")).as("a write that failed with a known outcome was not applied").isEmpty();
        }
    }

    @Test
    void aClosedClientRefusesOperations() {
        ClusterStore s = open();
        s.close();
        s.close();
        assertThat(s.session().state()).isEqualTo(SessionState.CLOSED);
        assertThatThrownBy(() -> s.get("x")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> s.put("x", "y")).isInstanceOf(RuntimeException.class);
    }
}
