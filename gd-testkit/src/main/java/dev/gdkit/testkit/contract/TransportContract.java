package dev.gdkit.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.error.NodeError;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.core.transport.InboundHandler;
import dev.gdkit.core.transport.JoinReply;
import dev.gdkit.core.transport.JoinRequest;
import dev.gdkit.core.transport.Notification;
import dev.gdkit.core.transport.StepCall;
import dev.gdkit.core.transport.StepReply;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Transport}, as its javadoc and the javadoc of {@link InboundHandler},
 * {@link StepCall}, {@link StepReply} and {@link TransportException} state it. Every implementation
 * extends this class with a one-line factory:
 *
 * <pre>{@code
 * class MyTransportContractTest extends TransportContract {
 *     protected Transport newTransport(NodeId node) { return new MyTransport(node, ...); }
 *     protected String unusedAddress() { return ...; }
 * }
 * }</pre>
 *
 * Implementations that can simulate faults override {@link #loseReplies} and {@link #partition};
 * the tests that need them are skipped otherwise. No test measures time: "fast" failures are
 * checked by waiting far less than the call's deadline.
 * Handlers that block are released after each test.
 */
public abstract class TransportContract {
    /** How long a test waits for a future that must complete; far above any healthy call. */
    protected static final Duration WAIT = Duration.ofSeconds(60);
    /** A deadline so long that a call that fails "fast" cannot be failing because of it. */
    protected static final Duration LONG_DEADLINE = Duration.ofMinutes(10);

    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    /**
     * A new transport for {@code node}, not started. Transports of one test must reach each other
     * by the addresses {@link Transport#start} returns. The suite closes them after each test.
     */
    protected abstract Transport newTransport(NodeId node);

    /** An address in this implementation's format where nothing listens now. */
    protected abstract String unusedAddress();

    /**
     * Fault hook: from now on, requests from {@code from} to {@code to} are delivered and run, but
     * their replies are lost. Returns false (the default) when the implementation cannot simulate
     * it; the tests that need it are then skipped.
     */
    protected boolean loseReplies(Transport from, Transport to) {
        return false;
    }

    /**
     * Fault hook: from now on, nothing passes between {@code a} and {@code b}. Returns false (the
     * default) when the implementation cannot simulate it; the tests that need it are then skipped.
     */
    protected boolean partition(Transport a, Transport b) {
        return false;
    }

    /** The deadline of calls that are expected to succeed. */
    protected Duration deadline() {
        return Duration.ofSeconds(30);
    }

    /** A started transport for {@code node} serving {@code handler}; closed after the test. */
    protected final Transport started(String node, InboundHandler handler) {
        Transport t = newTransport(NodeId.of(node));
        transports.add(t);
        t.start(handler);
        return t;
    }

    /** Blocks the calling handler until the test ends (or {@link #WAIT} passes). */
    protected final void blockUntilTestEnds() {
        try {
            release.await(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    final void closeTransports() {
        release.countDown();
        for (Transport t : transports) {
            t.close();
        }
    }

    // ------------------------------------------------------------------ values used by the tests

    protected static JoinRequest joinRequest(String joiner) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("zone", "eu-1");
        attrs.put("empty", "");
        attrs.put("unicode-ключ", "välue ✓");
        return new JoinRequest(NodeId.of(joiner), "host-" + joiner, List.of("10.0.0.7:24008", "[fd00::7]:24008"), 3,
                OpVersion.of(70000), OpVersion.of(110000), OpVersion.of(100000), "the-token", attrs);
    }

    protected static JoinReply joinReply() {
        return new JoinReply("cluster-42", OpVersion.of(100100), 3,
                Map.of("store", "zk://127.0.0.1:2181/gd", "empty", "", "multi\nline", "a\tb"));
    }

    protected static StepCall stepCall(String coordinator, String target, Map<String, String> context) {
        return new StepCall("txn-" + coordinator + "-" + context.size(), "req-9", "volume-create.prepare-brick", 2,
                NodeId.of(coordinator), NodeId.of(target), context);
    }

    protected static Map<String, String> smallContext() {
        return Map.of("volume", "gv0", "bricks", "n1:/b1,n2:/b2", "empty", "", "unicode", "日本語 ✓");
    }

    /** About 2 MiB of context in 512 entries. */
    protected static Map<String, String> largeContext() {
        Map<String, String> m = new LinkedHashMap<>();
        String chunk = "x".repeat(4090);
        for (int i = 0; i < 512; i++) {
            m.put("key-" + i, i + ":" + chunk);
        }
        return m;
    }

    protected static GdException richError() {
        return new GdException(ErrorCode.STEP_FAILED, "brick /b1 on n2 is already part of volume gv9",
                "use another brick directory or set reuse-bricks",
                List.of(new NodeError("n2", "prepare-brick", ErrorCode.ALREADY_EXISTS, "xattr volume-id present",
                                "remove the xattr"),
                        new NodeError("n3", "", ErrorCode.NODE_UNREACHABLE, "no answer", "")),
                null);
    }

    // ------------------------------------------------------------------ helpers

    private final CountDownLatch runEntered = new CountDownLatch(1);

    /** A handler whose runStep signals it was entered, then blocks until the test ends. */
    private TransportTestHandler blockingRunHandler() {
        return new TransportTestHandler().onRun(c -> {
            runEntered.countDown();
            blockUntilTestEnds();
            return StepReply.success(NodeId.of("n2"), Map.of());
        });
    }

    /** Sends a runStep to a {@link #blockingRunHandler()} and returns once the handler runs it. */
    private CompletableFuture<StepReply> runUntilHandlerEntered(Transport client, Transport server, Duration deadline)
            throws InterruptedException {
        CompletableFuture<StepReply> f = client.runStep(server.localAddress(), stepCall("n1", "n2", smallContext()),
                deadline);
        assertThat(runEntered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("handler entered").isTrue();
        return f;
    }

    /** The value of a future that must succeed. */
    protected static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("call did not complete within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The exception a future that must fail failed with. */
    protected static Throwable failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return fail("expected the call to fail, but it returned " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("the call neither succeeded nor failed within " + WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertEqualGdException(Throwable actual, GdException expected) {
        assertThat(actual).isInstanceOf(GdException.class).isNotInstanceOf(TransportException.class);
        GdException g = (GdException) actual;
        assertThat(g.code()).isEqualTo(expected.code());
        assertThat(g.getMessage()).isEqualTo(expected.getMessage());
        assertThat(g.remedy()).isEqualTo(expected.remedy());
        assertThat(g.nodeErrors()).isEqualTo(expected.nodeErrors());
    }

    private static TransportException transportFailure(Throwable t) {
        assertThat(t).as("a transport failure").isInstanceOf(TransportException.class);
        return (TransportException) t;
    }

    /** The four calls, so that the error clauses are checked on each. */
    protected enum Call {
        JOIN, RUN, UNDO, NOTIFY;

        CompletableFuture<?> send(Transport from, String address, Duration deadline) {
            StepCall call = stepCall("n1", "n2", smallContext());
            return switch (this) {
                case JOIN -> from.join(address, joinRequest("n1"), deadline);
                case RUN -> from.runStep(address, call, deadline);
                case UNDO -> from.undoStep(address, call, deadline);
                case NOTIFY -> from.notify(address, new Notification("t", NodeId.of("n1"), Map.of()), deadline);
            };
        }

        void behave(TransportTestHandler h, Function<Object, RuntimeException> error) {
            switch (this) {
                case JOIN -> h.onJoin(r -> {
                    throw error.apply(r);
                });
                case RUN -> h.onRun(c -> {
                    throw error.apply(c);
                });
                case UNDO -> h.onUndo(c -> {
                    throw error.apply(c);
                });
                case NOTIFY -> h.onNotify(n -> {
                    throw error.apply(n);
                });
            }
        }
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void startReturnsTheLocalAddress() {
        Transport server = started("n2", new TransportTestHandler());
        assertThat(server.localAddress()).isNotBlank();
        Transport other = started("n3", new TransportTestHandler());
        assertThat(other.localAddress()).isNotEqualTo(server.localAddress());
    }

    @Test
    void startTwiceIsRefused() {
        TransportTestHandler first = new TransportTestHandler().onRun(c -> StepReply.success(NodeId.of("n2"), Map.of()));
        Transport t = started("n2", first);
        String address = t.localAddress();
        assertThatThrownBy(() -> t.start(new TransportTestHandler())).isInstanceOf(RuntimeException.class);
        Transport client = started("n1", new TransportTestHandler());
        await(client.runStep(address, stepCall("n1", "n2", Map.of()), deadline()));
        assertThat(first.received()).hasSize(1);
    }

    @Test
    void joinPreservesEveryFieldBothWays() {
        TransportTestHandler h = new TransportTestHandler().onJoin(r -> joinReply());
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        JoinReply reply = await(client.join(server.localAddress(), joinRequest("n1"), deadline()));
        assertThat(reply).isEqualTo(joinReply());
        assertThat(h.received()).containsExactly(joinRequest("n1"));
    }

    @Test
    void runStepPreservesEveryFieldBothWays() {
        StepReply answer = StepReply.success(NodeId.of("n2"), Map.of("brick-id", "b-1", "empty", "", "ü", "✓"));
        TransportTestHandler h = new TransportTestHandler().onRun(c -> answer);
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        StepCall call = stepCall("n1", "n2", smallContext());
        assertThat(await(client.runStep(server.localAddress(), call, deadline()))).isEqualTo(answer);
        assertThat(h.received()).containsExactly(call);
    }

    @Test
    void undoStepPreservesEveryFieldBothWays() {
        StepReply answer = StepReply.success(NodeId.of("n2"), Map.of());
        TransportTestHandler h = new TransportTestHandler().onUndo(c -> answer);
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        StepCall call = new StepCall("txn-1", "", "s", 0, NodeId.of("n1"), NodeId.of("n2"), Map.of());
        assertThat(await(client.undoStep(server.localAddress(), call, deadline()))).isEqualTo(answer);
        assertThat(h.received()).containsExactly(call);
    }

    @Test
    void aFailedStepIsAReplyNotAnException() {
        StepReply answer = StepReply.failure(NodeId.of("n2"), ErrorCode.DAEMON_FAILED, "glusterfsd exited with 1",
                "see /var/log/glusterfs/bricks/b1.log");
        Transport server = started("n2", new TransportTestHandler().onRun(c -> answer).onUndo(c -> answer));
        Transport client = started("n1", new TransportTestHandler());
        StepCall call = stepCall("n1", "n2", smallContext());
        assertThat(await(client.runStep(server.localAddress(), call, deadline()))).isEqualTo(answer);
        assertThat(await(client.undoStep(server.localAddress(), call, deadline()))).isEqualTo(answer);
    }

    @Test
    void largeContextsAndOutputsSurvive() {
        Map<String, String> big = largeContext();
        TransportTestHandler h = new TransportTestHandler()
                .onRun(c -> StepReply.success(NodeId.of("n2"), c.context()))
                .onUndo(c -> StepReply.success(NodeId.of("n2"), c.context()));
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        StepCall call = stepCall("n1", "n2", big);
        assertThat(await(client.runStep(server.localAddress(), call, deadline())).outputs()).isEqualTo(big);
        assertThat(await(client.undoStep(server.localAddress(), call, deadline())).outputs()).isEqualTo(big);
        assertThat(h.received()).containsExactly(call, call);
    }

    @Test
    void notifyDeliversEveryField() {
        TransportTestHandler h = new TransportTestHandler().onNotify(n -> { });
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        Notification n = new Notification("daemon.reload", NodeId.of("n1"), Map.of("volume", "gv0", "empty", ""));
        assertThat(await(client.notify(server.localAddress(), n, deadline()))).isNull();
        assertThat(h.received()).containsExactly(n);
    }

    // ------------------------------------------------------------------ errors from the handler

    private void remoteGdExceptionIsPreserved(Call c) {
        TransportTestHandler h = new TransportTestHandler();
        c.behave(h, r -> richError());
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        assertEqualGdException(failure(c.send(client, server.localAddress(), deadline())), richError());
        assertThat(h.received()).hasSize(1);
    }

    @Test
    void remoteGdExceptionIsPreservedOnJoin() {
        remoteGdExceptionIsPreserved(Call.JOIN);
    }

    @Test
    void remoteGdExceptionIsPreservedOnRunStep() {
        remoteGdExceptionIsPreserved(Call.RUN);
    }

    @Test
    void remoteGdExceptionIsPreservedOnUndoStep() {
        remoteGdExceptionIsPreserved(Call.UNDO);
    }

    @Test
    void remoteGdExceptionIsPreservedOnNotify() {
        remoteGdExceptionIsPreserved(Call.NOTIFY);
    }

    @Test
    void remoteGdExceptionWithoutRemedyOrNodeErrorsIsPreserved() {
        GdException plain = new GdException(ErrorCode.NOT_FOUND, "volume gv7 does not exist");
        Transport server = started("n2", new TransportTestHandler().onRun(c -> {
            throw plain;
        }));
        Transport client = started("n1", new TransportTestHandler());
        assertEqualGdException(failure(Call.RUN.send(client, server.localAddress(), deadline())), plain);
    }

    private void otherExceptionBecomesInternal(Call c) {
        TransportTestHandler h = new TransportTestHandler();
        c.behave(h, r -> new IllegalStateException("disk on fire in " + c));
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        Throwable t = failure(c.send(client, server.localAddress(), deadline()));
        assertThat(t).isInstanceOf(GdException.class).isNotInstanceOf(TransportException.class);
        assertThat(((GdException) t).code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(t.getMessage()).contains("disk on fire in " + c);
    }

    @Test
    void otherExceptionBecomesInternalOnJoin() {
        otherExceptionBecomesInternal(Call.JOIN);
    }

    @Test
    void otherExceptionBecomesInternalOnRunStep() {
        otherExceptionBecomesInternal(Call.RUN);
    }

    @Test
    void otherExceptionBecomesInternalOnUndoStep() {
        otherExceptionBecomesInternal(Call.UNDO);
    }

    @Test
    void otherExceptionBecomesInternalOnNotify() {
        otherExceptionBecomesInternal(Call.NOTIFY);
    }

    // ------------------------------------------------------------------ transport failures

    private void deadlineExceededIsOutcomeUnknown(Call c) {
        CountDownLatch entered = new CountDownLatch(1);
        TransportTestHandler h = new TransportTestHandler();
        c.behave(h, r -> {
            entered.countDown();
            blockUntilTestEnds();
            return new IllegalStateException("released");
        });
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        TransportException e = transportFailure(failure(c.send(client, server.localAddress(),
                Duration.ofMillis(300))));
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(e.address()).isEqualTo(server.localAddress());
    }

    @Test
    void deadlineExceededOnRunStepIsOutcomeUnknown() {
        deadlineExceededIsOutcomeUnknown(Call.RUN);
    }

    @Test
    void deadlineExceededOnUndoStepIsOutcomeUnknown() {
        deadlineExceededIsOutcomeUnknown(Call.UNDO);
    }

    @Test
    void deadlineExceededOnJoinIsOutcomeUnknown() {
        deadlineExceededIsOutcomeUnknown(Call.JOIN);
    }

    @Test
    void deadlineExceededOnNotifyIsOutcomeUnknown() {
        deadlineExceededIsOutcomeUnknown(Call.NOTIFY);
    }

    @Test
    void nothingListeningFailsFastWithOutcomeKnown() {
        Transport client = started("n1", new TransportTestHandler());
        String nowhere = unusedAddress();
        for (Call c : Call.values()) {
            TransportException e = transportFailure(failure(c.send(client, nowhere, LONG_DEADLINE)));
            assertThat(e.outcomeUnknown()).as(c + " outcomeUnknown of " + e + " caused by " + e.getCause()).isFalse();
            assertThat(e.address()).as(c + " address").isEqualTo(nowhere);
            assertThat(e.code()).as(c + " code").isEqualTo(ErrorCode.NODE_UNREACHABLE);
        }
    }

    @Test
    void connectionLostDuringACallIsOutcomeUnknown() throws InterruptedException {
        Transport server = started("n2", blockingRunHandler());
        Transport client = started("n1", new TransportTestHandler());
        CompletableFuture<StepReply> f = runUntilHandlerEntered(client, server, Duration.ofSeconds(5));
        server.close();
        TransportException e = transportFailure(failure(f));
        assertThat(e.outcomeUnknown()).isTrue();
    }

    @Test
    void aLostReplyIsOutcomeUnknownAndTheStepRan() {
        TransportTestHandler h = new TransportTestHandler().onRun(c -> StepReply.success(NodeId.of("n2"), Map.of()));
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        assumeTrue(loseReplies(client, server), "this transport cannot simulate lost replies");
        StepCall call = stepCall("n1", "n2", smallContext());
        TransportException e = transportFailure(failure(client.runStep(server.localAddress(), call,
                Duration.ofMillis(500))));
        assertThat(e.outcomeUnknown()).isTrue();
        assertThat(h.received()).containsExactly(call);
    }

    @Test
    void aPartitionFailsWithOutcomeKnownAndNothingRuns() {
        TransportTestHandler h = new TransportTestHandler().onRun(c -> StepReply.success(NodeId.of("n2"), Map.of()));
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        assumeTrue(partition(client, server), "this transport cannot simulate partitions");
        for (Call c : Call.values()) {
            TransportException e = transportFailure(failure(c.send(client, server.localAddress(), LONG_DEADLINE)));
            assertThat(e.outcomeUnknown()).as(c + " outcomeUnknown").isFalse();
        }
        assertThat(h.received()).isEmpty();
    }

    // ------------------------------------------------------------------ concurrency and close

    @Test
    void aCallReturnsBeforeTheRemoteHandlerFinishes() throws InterruptedException {
        Transport server = started("n2", blockingRunHandler());
        Transport client = started("n1", new TransportTestHandler());
        CompletableFuture<StepReply> f = runUntilHandlerEntered(client, server, LONG_DEADLINE);
        assertThat(f).as("the future of a call whose handler still runs").isNotDone();
    }

    @Test
    void callsAreServedConcurrently() throws InterruptedException {
        int n = 16;
        CountDownLatch allInside = new CountDownLatch(n);
        Transport server = started("n2", new TransportTestHandler().onRun(c -> {
            allInside.countDown();
            try {
                boolean all = allInside.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                return all ? StepReply.success(NodeId.of("n2"), Map.of("echo", c.txnId()))
                        : StepReply.failure(NodeId.of("n2"), ErrorCode.INTERNAL, "calls were serialized", "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }));
        Transport client = started("n1", new TransportTestHandler());
        List<CompletableFuture<StepReply>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StepCall call = new StepCall("txn-" + i, "", "s", 0, NodeId.of("n1"), NodeId.of("n2"), Map.of());
            fs.add(client.runStep(server.localAddress(), call, Duration.ofSeconds(90)));
        }
        for (int i = 0; i < n; i++) {
            assertThat(await(fs.get(i))).isEqualTo(StepReply.success(NodeId.of("n2"), Map.of("echo", "txn-" + i)));
        }
    }

    @Test
    void manyConcurrentCallersEachGetTheirOwnReply() {
        Transport server = started("n2", new TransportTestHandler()
                .onRun(c -> StepReply.success(NodeId.of("n2"), Map.of("echo", c.context().get("i"))))
                .onUndo(c -> StepReply.failure(NodeId.of("n2"), ErrorCode.INTERNAL, c.context().get("i"), "")));
        List<Transport> clients = List.of(started("n1", new TransportTestHandler()),
                started("n3", new TransportTestHandler()), started("n4", new TransportTestHandler()));
        List<CompletableFuture<StepReply>> fs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Transport from = clients.get(i % clients.size());
            StepCall call = stepCall("n1", "n2", Map.of("i", Integer.toString(i)));
            fs.add(i % 2 == 0 ? from.runStep(server.localAddress(), call, deadline())
                    : from.undoStep(server.localAddress(), call, deadline()));
        }
        for (int i = 0; i < fs.size(); i++) {
            StepReply r = await(fs.get(i));
            if (i % 2 == 0) {
                assertThat(r.outputs()).containsEntry("echo", Integer.toString(i));
            } else {
                assertThat(r.message()).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void aClosedNodeServesNothing() {
        TransportTestHandler h = new TransportTestHandler().onRun(c -> StepReply.success(NodeId.of("n2"), Map.of()));
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        String address = server.localAddress();
        await(client.runStep(address, stepCall("n1", "n2", Map.of()), deadline()));
        server.close();
        for (Call c : Call.values()) {
            TransportException e = transportFailure(failure(c.send(client, address, LONG_DEADLINE)));
            assertThat(e.outcomeUnknown()).as(c + " outcomeUnknown of " + e + " caused by " + e.getCause()).isFalse();
        }
        assertThat(h.received()).hasSize(1);
    }

    @Test
    void aClosedTransportFailsNewCallsFast() {
        TransportTestHandler h = new TransportTestHandler().onRun(c -> StepReply.success(NodeId.of("n2"), Map.of()));
        Transport server = started("n2", h);
        Transport client = started("n1", new TransportTestHandler());
        await(client.runStep(server.localAddress(), stepCall("n1", "n2", Map.of()), deadline()));
        client.close();
        for (Call c : Call.values()) {
            TransportException e = transportFailure(failure(c.send(client, server.localAddress(), LONG_DEADLINE)));
            assertThat(e.outcomeUnknown()).as(c + " outcomeUnknown of " + e + " caused by " + e.getCause()).isFalse();
        }
        assertThat(h.received()).hasSize(1);
    }

    @Test
    void closeIsIdempotent() {
        Transport t = started("n2", new TransportTestHandler());
        t.close();
        t.close();
    }
}
