package dev.gdkit.zookeeper.store;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreConflictException.Reason;
import dev.gdkit.core.store.StoreKeys;
import dev.gdkit.core.store.StoreOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.CreateOptions;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * Turns a list of {@link StoreOp}s into one ZooKeeper {@code multi}, reading what it must know
 * (which parents exist, whether a Put creates or overwrites) first. Every ZooKeeper op of the plan
 * remembers why it is there, so a failed multi maps back either to a user-visible conflict naming
 * the key, or to a race on a parent or an upsert that the caller retries with a fresh plan.
 */
final class CommitPlan {
    /** Why an op is in the plan. */
    enum Role {
        IMPLICIT_PARENT, CREATE, PUT_SET, PUT_CREATE, UPDATE, DELETE, CHECK, PROBE_CREATE, PROBE_DELETE, PROBE_EPHEMERAL_PARENT
    }

    /** One ZooKeeper op, the store key it serves, and the znode it touches (its key form). */
    record Step(Op op, Role role, String key, String nodeKey) {
    }

    /** Reads a znode's stat, null when absent. */
    @FunctionalInterface
    interface StatReader {
        Stat stat(String key) throws KeeperException, InterruptedException;
    }

    /** What a failed step means. */
    sealed interface Outcome {
    }

    /** The race is not the caller's: plan again and retry. */
    record Retry(String why) implements Outcome {
    }

    /** The caller's condition failed, or the request is invalid. */
    record Fail(RuntimeException error) implements Outcome {
    }

    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Optional<Stat>> view = new HashMap<>();
    private final StatReader reader;
    private final ZkLayout layout;
    private final List<ACL> acl;
    private final java.util.function.Predicate<String> knownParent;

    private CommitPlan(StatReader reader, ZkLayout layout, List<ACL> acl, java.util.function.Predicate<String> knownParent) {
        this.reader = reader;
        this.layout = layout;
        this.acl = acl;
        this.knownParent = knownParent;
    }

    static CommitPlan build(List<StoreOp> ops, boolean ephemeral, ZkLayout layout, List<ACL> acl, StatReader reader)
            throws KeeperException, InterruptedException {
        return build(ops, ephemeral, layout, acl, reader, k -> false);
    }

    /**
     * Plans with {@code knownParent} naming parents seen to exist before, which are not read again:
     * when one has gone since, the create below it fails with NONODE, which classifies as a retry
     * (the caller then plans again without the hint).
     */
    static CommitPlan build(List<StoreOp> ops, boolean ephemeral, ZkLayout layout, List<ACL> acl, StatReader reader,
                            java.util.function.Predicate<String> knownParent) throws KeeperException, InterruptedException {
        CommitPlan plan = new CommitPlan(reader, layout, acl, knownParent);
        for (StoreOp op : ops) {
            plan.add(op, ephemeral);
        }
        return plan;
    }

    /** The parents this plan found or made to exist, for the next plans' hint once the commit applied. */
    List<String> parentsAfter() {
        List<String> out = new ArrayList<>();
        for (Step st : steps) {
            if (st.role() == Role.CREATE || st.role() == Role.PUT_CREATE || st.role() == Role.PUT_SET || st.role() == Role.IMPLICIT_PARENT) {
                List<String> p = prefixes(st.key());
                out.addAll(p.subList(0, p.size() - 1));
            } else if (st.role() == Role.PROBE_CREATE) {
                // the probe's create applied, so everything above it existed
                List<String> p = prefixes(st.nodeKey());
                out.addAll(p.subList(0, p.size() - 1));
            }
        }
        return out;
    }

    List<Step> steps() {
        return steps;
    }

    List<Op> ops() {
        List<Op> ops = new ArrayList<>(steps.size());
        for (Step s : steps) {
            ops.add(s.op());
        }
        return ops;
    }

    private void add(StoreOp op, boolean ephemeral) throws KeeperException, InterruptedException {
        String key = op.key();
        String path = layout.kvPath(key);
        if (op instanceof StoreOp.Create c) {
            parents(key);
            steps.add(new Step(create(path, c.value(), ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT), Role.CREATE, key, key));
            view.put(key, Optional.of(new Stat()));
        } else if (op instanceof StoreOp.Put p) {
            if (exists(key)) {
                steps.add(new Step(Op.setData(path, p.value(), -1), Role.PUT_SET, key, key));
            } else {
                parents(key);
                steps.add(new Step(create(path, p.value(), CreateMode.PERSISTENT), Role.PUT_CREATE, key, key));
                view.put(key, Optional.of(new Stat()));
            }
        } else if (op instanceof StoreOp.Update u) {
            steps.add(new Step(Op.setData(path, u.value(), u.expectedVersion()), Role.UPDATE, key, key));
        } else if (op instanceof StoreOp.Delete d) {
            steps.add(new Step(Op.delete(path, d.expectedVersion()), Role.DELETE, key, key));
            view.put(key, Optional.empty());
        } else if (op instanceof StoreOp.Check ch) {
            steps.add(new Step(Op.check(path, ch.expectedVersion()), Role.CHECK, key, key));
        } else if (op instanceof StoreOp.CheckAbsent) {
            probeAbsent(key);
        } else {
            throw new IllegalStateException("unknown store op " + op);
        }
    }

    /**
     * ZooKeeper has no "check absent" op. The first missing znode on the way to the key is created
     * and deleted again in the same multi: the create fails if it exists (the key itself, or a
     * parent that appeared since the read, which means plan again). Watches do not see the probe:
     * the cache re-reads a created znode and finds nothing.
     */
    private void probeAbsent(String key) throws KeeperException, InterruptedException {
        List<String> prefixes = prefixes(key);
        boolean parentsKnown = true;
        for (String parent : prefixes.subList(0, prefixes.size() - 1)) {
            parentsKnown &= !view.containsKey(parent) && knownParent.test(parent);
        }
        if (parentsKnown) {
            // parents seen before (persistent): nothing to read; the key's own probe fails if it exists,
            // and a parent deleted since makes the create fail with NONODE, which plans again
            String path = layout.kvPath(key);
            steps.add(new Step(create(path, new byte[0], CreateMode.PERSISTENT), Role.PROBE_CREATE, key, key));
            steps.add(new Step(Op.delete(path, -1), Role.PROBE_DELETE, key, key));
            return;
        }
        String probe = key;
        String deepestExisting = null;
        Stat deepestStat = null;
        boolean missing = false;
        for (String prefix : prefixes(key)) {
            Optional<Stat> s = stat(prefix);
            if (s.isEmpty()) {
                probe = prefix;
                missing = true;
                break;
            }
            deepestExisting = prefix;
            deepestStat = s.get();
        }
        if (missing && deepestStat != null && deepestStat.getEphemeralOwner() != 0) {
            // an ephemeral znode has no children: the key is absent as long as that znode stays as it is
            steps.add(new Step(Op.check(layout.kvPath(deepestExisting), deepestStat.getVersion()),
                    Role.PROBE_EPHEMERAL_PARENT, key, deepestExisting));
            return;
        }
        String path = layout.kvPath(probe);
        steps.add(new Step(create(path, new byte[0], CreateMode.PERSISTENT), Role.PROBE_CREATE, key, probe));
        steps.add(new Step(Op.delete(path, -1), Role.PROBE_DELETE, key, probe));
    }

    private void parents(String key) throws KeeperException, InterruptedException {
        List<String> prefixes = prefixes(key);
        for (int i = 0; i < prefixes.size() - 1; i++) {
            String parent = prefixes.get(i);
            if (!view.containsKey(parent) && knownParent.test(parent)) {
                continue;
            }
            if (!exists(parent)) {
                steps.add(new Step(create(layout.kvPath(parent), new byte[0], CreateMode.PERSISTENT), Role.IMPLICIT_PARENT, key, parent));
                view.put(parent, Optional.of(new Stat()));
            }
        }
    }

    private Op create(String path, byte[] value, CreateMode mode) {
        return Op.create(path, value, CreateOptions.newBuilder(acl, mode).build());
    }

    private boolean exists(String key) throws KeeperException, InterruptedException {
        return stat(key).isPresent();
    }

    private Optional<Stat> stat(String key) throws KeeperException, InterruptedException {
        Optional<Stat> known = view.get(key);
        if (known == null) {
            known = Optional.ofNullable(reader.stat(key));
            view.put(key, known);
        }
        return known;
    }

    /** "a", "a/b", "a/b/c" for "a/b/c". */
    static List<String> prefixes(String key) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int slash = key.indexOf('/', from);
            if (slash < 0) {
                out.add(key);
                return out;
            }
            out.add(key.substring(0, slash));
            from = slash + 1;
        }
    }

    /** What the failure of {@code step} with {@code code} means. */
    static Outcome classify(Step step, Code code, String namespace) {
        String key = step.key();
        return switch (step.role()) {
            case IMPLICIT_PARENT -> switch (code) {
                case NODEEXISTS, NONODE -> new Retry("parent '" + step.nodeKey() + "' changed concurrently");
                case NOCHILDRENFOREPHEMERALS -> new Fail(ephemeralParent(key, step.nodeKey()));
                default -> new Fail(unexpected(key, code, namespace));
            };
            case CREATE -> switch (code) {
                case NODEEXISTS -> new Fail(new StoreConflictException(key, Reason.EXISTS, "the key exists"));
                case NONODE -> new Retry("a parent of '" + key + "' was deleted concurrently");
                case NOCHILDRENFOREPHEMERALS -> new Fail(ephemeralParent(key, StoreKeys.parent(key)));
                default -> new Fail(unexpected(key, code, namespace));
            };
            case PUT_SET, PUT_CREATE -> switch (code) {
                case NODEEXISTS, NONODE -> new Retry("'" + key + "' was created or deleted concurrently");
                case NOCHILDRENFOREPHEMERALS -> new Fail(ephemeralParent(key, StoreKeys.parent(key)));
                default -> new Fail(unexpected(key, code, namespace));
            };
            case UPDATE, CHECK -> switch (code) {
                case NONODE -> new Fail(new StoreConflictException(key, Reason.MISSING, "the key does not exist"));
                case BADVERSION -> new Fail(new StoreConflictException(key, Reason.VERSION,
                        "the key's version is not the expected one"));
                default -> new Fail(unexpected(key, code, namespace));
            };
            case DELETE -> switch (code) {
                case NONODE -> new Fail(new StoreConflictException(key, Reason.MISSING, "the key does not exist"));
                case BADVERSION -> new Fail(new StoreConflictException(key, Reason.VERSION,
                        "the key's version is not the expected one"));
                case NOTEMPTY -> new Fail(new StoreConflictException(key, Reason.NOT_EMPTY,
                        "the key has children; delete them first or use deleteTree"));
                default -> new Fail(unexpected(key, code, namespace));
            };
            case PROBE_CREATE -> switch (code) {
                case NODEEXISTS -> step.nodeKey().equals(key)
                        ? new Fail(new StoreConflictException(key, Reason.EXISTS, "the key exists but must be absent"))
                        : new Retry("'" + step.nodeKey() + "' was created concurrently");
                case NONODE, NOCHILDRENFOREPHEMERALS -> new Retry("a parent of '" + key + "' changed concurrently");
                default -> new Fail(unexpected(key, code, namespace));
            };
            case PROBE_DELETE, PROBE_EPHEMERAL_PARENT -> switch (code) {
                case NONODE, BADVERSION, NOTEMPTY -> new Retry("'" + step.nodeKey() + "' changed concurrently");
                default -> new Fail(unexpected(key, code, namespace));
            };
        };
    }

    private static RuntimeException ephemeralParent(String key, String parent) {
        return new GdException(ErrorCode.STORE_INVALID, "cannot create '" + key + "': its parent '" + parent
                + "' is an ephemeral key, and ephemeral keys cannot have children",
                "store session-bound keys as leaves, for example 'alive/<peer>'");
    }

    private static RuntimeException unexpected(String key, Code code, String namespace) {
        if (code == Code.NOAUTH) {
            return ZooKeeperAccessDeniedException.forKey(namespace, key);
        }
        return new GdException(ErrorCode.INTERNAL, "ZooKeeper refused the commit on key '" + key + "' in namespace '"
                + namespace + "' with " + code, "see the ZooKeeper server log");
    }
}
