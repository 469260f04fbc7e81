package dev.gdkit.core.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The cluster store: versioned keys in one cluster's namespace, atomic multi-key commits, prefix
 * watches, and a session for liveness, locks and elections.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Thread-safe: every method may be called from any thread.</li>
 *   <li>Keys follow {@link StoreKeys}: a tree of {@code /}-separated segments. Writing a key creates
 *       its missing parents with empty values; a key with children cannot be deleted by
 *       {@link StoreOp.Delete} (use {@link #deleteTree(String)}).</li>
 *   <li>Reads are linearizable with this client's own writes: after {@code commit} returns, this
 *       client's reads see it. Other clients see it once their own view catches up (immediately for
 *       the in-memory store; ZooKeeper's sync semantics otherwise).</li>
 *   <li>{@link #commit(List)} applies all its operations or none. A failed condition throws
 *       {@link StoreConflictException} naming the key; nothing was applied.</li>
 *   <li>When the store cannot be reached, operations wait a bounded time and then throw
 *       {@link StoreUnavailableException} (retryable).</li>
 *   <li>Values are at most {@link StoreKeys#MAX_VALUE_BYTES} bytes.</li>
 *   <li>One store may serve many clusters: each {@code ClusterStore} sees only its namespace.</li>
 * </ul>
 */
public interface ClusterStore extends AutoCloseable {
    /** The cluster namespace this client works in. */
    String namespace();

    /** The key's current value, or empty when absent. */
    Optional<Versioned> get(String key);

    /**
     * The key's value as of a moment after this call began: sees every commit that had returned to
     * any client before the call, which {@link #get(String)} may not (a ZooKeeper client reads from
     * the server it is connected to, which may lag the ensemble). Costs a round trip to the store's
     * leader on replicated stores; use it where another node's write must be seen, such as serving
     * a volfile just after another node changed the volume.
     */
    default Optional<Versioned> getLatest(String key) {
        return get(key);
    }

    /** The direct children of {@code key} that exist, sorted by key. Empty when none or absent. */
    List<Versioned> children(String key);

    /** Applies every operation or none; returns the revision of the commit (or -1 when unknown). */
    long commit(List<StoreOp> ops);

    /** Removes the key and everything below it. Not atomic; idempotent; absent keys are fine. */
    void deleteTree(String key);

    /**
     * Watches {@code prefix} and everything below it. The listener first gets a CREATED event for
     * each existing key (parents before children), then {@link StoreListener#onInitialized()}, then
     * later changes. Events of one key arrive in the order they were applied and a key's version
     * never goes backwards; successive changes of one key may be merged into one event carrying the
     * latest state (ZooKeeper watches say "changed" and the data is read afterwards), so a key first
     * seen may arrive as CREATED above version 0. The in-memory store delivers every change.
     */
    Watch watch(String prefix, StoreListener listener);

    /** This client's session. */
    StoreSession session();

    /** Closes the client; its session ends (ephemeral keys vanish, locks free). */
    @Override
    void close();

    // ---- conveniences built on the methods above ----

    default void create(String key, byte[] value) {
        commit(List.of(StoreOp.create(key, value)));
    }

    default void put(String key, byte[] value) {
        commit(List.of(StoreOp.put(key, value)));
    }

    default void put(String key, String value) {
        put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Compare-and-set: writes {@code value} if the key's version is {@code expectedVersion}. */
    default void update(String key, byte[] value, int expectedVersion) {
        commit(List.of(StoreOp.update(key, value, expectedVersion)));
    }

    default void delete(String key, int expectedVersion) {
        commit(List.of(StoreOp.delete(key, expectedVersion)));
    }
}
