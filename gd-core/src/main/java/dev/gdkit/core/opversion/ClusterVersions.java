package dev.gdkit.core.opversion;

import com.google.common.base.Suppliers;
import java.util.function.Supplier;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.PeerState;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.membership.ClusterInfo;
import dev.gdkit.core.membership.PeerRecord;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cluster's op-version as one node reads and changes it. The version lives in
 * {@code cluster/info}; each peer's range in its record; which versions volumes' options use in
 * {@code opversion-usage/<version>/<volume>} (one small key per volume, so the highest version in
 * use is read from a handful of keys whatever the number of volumes).
 *
 * <p>Changes are store operations that callers add to their transaction's commit: a change made
 * this way is applied together with the change that needed it, or not at all. Every change
 * compare-and-sets {@code cluster/info}, and so does every admission of a peer, so a version bump
 * and a join of a peer that could not run it never both succeed.
 */
public final class ClusterVersions {
    /** Prefix of the usage index. */
    public static final String USAGE = "opversion-usage";

    private final ClusterStore store;
    private final OpVersionPolicy policy;

    public ClusterVersions(ClusterStore store, OpVersionPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    public OpVersionPolicy policy() {
        return policy;
    }

    /** A consistent reading: the cluster record (with its store version) and every member's record. */
    public Snapshot read() {
        Versioned info = store.get(StoreLayout.CLUSTER_INFO).orElseThrow(() -> new GdException(ErrorCode.FAILED_PRECONDITION,
                "this node is not part of a cluster yet", "bootstrap a cluster or join one first"));
        // the members are read only when a decision needs them (a raise, a lowering, a join), which
        // keeps an ordinary volume change from listing every peer; every such decision commits
        // conditionally on infoVersion, so a member admitted meanwhile makes it plan again
        Supplier<List<PeerRecord>> peers = Suppliers.memoize(() -> store.children(StoreLayout.PEERS).stream()
                .map(v -> Json.read(v.value(), PeerRecord.class)).filter(p -> p.state() != PeerState.LEFT).toList());
        return new Snapshot(Json.read(info.value(), ClusterInfo.class), info.version(), peers);
    }

    /** A reading of the cluster's versions; the members are read on first use. */
    public record Snapshot(ClusterInfo info, int infoVersion, Supplier<List<PeerRecord>> peerSource) {
        /** The members (not LEFT), read from the store the first time they are asked for. */
        public List<PeerRecord> peers() {
            return peerSource.get();
        }

        public OpVersion clusterVersion() {
            return OpVersion.of(info.opVersion());
        }

        /** {@code cluster.max-op-version}: the lowest maximum among members. */
        public OpVersion maxOpVersion() {
            return peers().stream().map(p -> OpVersion.of(p.maxOpVersion())).min(Comparator.naturalOrder())
                    .orElse(clusterVersion());
        }

        /** The highest minimum among members: the cluster never runs below it. */
        public OpVersion floor() {
            return peers().stream().map(p -> OpVersion.of(p.minOpVersion())).max(Comparator.naturalOrder())
                    .orElse(OpVersion.MIN);
        }

        /** Members whose maximum is below {@code v}, as "id (max N)". */
        public List<String> blockers(OpVersion v) {
            return peers().stream().filter(p -> p.maxOpVersion() < v.value())
                    .sorted(Comparator.comparing(PeerRecord::id))
                    .map(p -> p.name() + " (supports at most " + p.maxOpVersion() + ")").toList();
        }

        /** The store operation that sets the cluster's version to {@code v}, conditional on this reading. */
        public StoreOp setVersion(OpVersion v) {
            return StoreOp.update(StoreLayout.CLUSTER_INFO, Json.write(new ClusterInfo(info.clusterId(), v.value())), infoVersion);
        }
    }

    /**
     * The store operations that let the cluster run at least {@code needed}: none when it already
     * does; a raise when every member's maximum allows it. Otherwise OP_VERSION_TOO_LOW naming the
     * members that block it, and nothing is changed.
     */
    public List<StoreOp> requireAtLeast(Snapshot s, OpVersion needed, String what) {
        if (s.clusterVersion().compareTo(needed) >= 0) {
            return List.of();
        }
        List<String> blockers = s.blockers(needed);
        if (!blockers.isEmpty()) {
            throw new GdException(ErrorCode.OP_VERSION_TOO_LOW, what + " needs op-version " + needed + " but the cluster runs "
                    + s.clusterVersion() + " and cannot be raised: " + String.join(", ", blockers),
                    "upgrade " + blockers.stream().map(b -> b.substring(0, b.indexOf(' '))).collect(Collectors.joining(", "))
                            + " to a release that supports op-version " + needed);
        }
        return List.of(s.setVersion(needed));
    }

    /**
     * Store operations that record that {@code volume}'s options now need {@code now} (was
     * {@code before}; empty when new or deleted) and move the cluster's version where the policy
     * says: up to what is needed (checked against members' maximums), or down when the policy
     * follows usage and the highest version still in use fell.
     */
    public List<StoreOp> usageChanged(Snapshot s, String volume, Optional<OpVersion> before, Optional<OpVersion> now,
                                      String what) {
        List<StoreOp> ops = new ArrayList<>();
        if (before.equals(now)) {
            return ops;
        }
        before.ifPresent(b -> ops.add(StoreOp.delete(usageKey(b, volume))));
        now.ifPresent(n -> ops.add(StoreOp.put(usageKey(n, volume), new byte[0])));
        OpVersion highest = highestInUseAfter(before.map(b -> usageKey(b, volume)), now);
        OpVersion target = policy.target(s.clusterVersion(), highest, s.floor());
        if (target.compareTo(s.clusterVersion()) > 0) {
            ops.addAll(requireAtLeast(s, target, what));
        } else if (target.compareTo(s.clusterVersion()) < 0) {
            ops.add(s.setVersion(target));
        }
        return ops;
    }

    /** The highest op-version any volume's options use now ({@link OpVersion#MIN} when none). */
    public OpVersion highestInUse() {
        return highestInUseAfter(Optional.empty(), Optional.empty());
    }

    private OpVersion highestInUseAfter(Optional<String> removedKey, Optional<OpVersion> added) {
        OpVersion highest = added.orElse(OpVersion.MIN);
        for (Versioned level : store.children(USAGE)) {
            OpVersion v = OpVersion.of(Integer.parseInt(level.name()));
            if (v.compareTo(highest) <= 0) {
                continue;
            }
            List<Versioned> users = store.children(level.key());
            long remaining = users.stream().filter(u -> removedKey.map(k -> !k.equals(u.key())).orElse(true)).count();
            if (remaining > 0) {
                highest = v;
            }
        }
        return highest;
    }

    private static String usageKey(OpVersion v, String volume) {
        return USAGE + "/" + v.value() + "/" + volume;
    }
}
