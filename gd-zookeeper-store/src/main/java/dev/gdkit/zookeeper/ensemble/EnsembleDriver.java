package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.core.json.Json;
import dev.gdkit.core.store.StoreConflictException;
import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.EnsembleConfig;
import dev.gdkit.zookeeper.embedded.FourLetterWords;
import dev.gdkit.zookeeper.store.ZooKeeperClusterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of the one node that drives the ensemble (the leader of the store election
 * {@value EnsembleKeys#ELECTION}, always a voter): one pass reads the records, liveness and the
 * committed configuration, plans with {@link EnsemblePlan}, and moves toward the plan:
 *
 * <ol>
 *   <li>gives every node the role the plan says (CANDIDATE for nodes to be added: they start their
 *       servers);</li>
 *   <li>adds the candidates, one reconfiguration each, once all of them serve (a candidate that
 *       does not serve within the candidate timeout is passed over for a while);</li>
 *   <li>only when nothing is left to add, removes voters, one each, and only when the servers
 *       that stay and serve are a majority of the new configuration; its own server last;</li>
 *   <li>deletes the records of removed nodes once their servers are out.</li>
 * </ol>
 *
 * Every reconfiguration names the configuration version it was planned from, so a second driver
 * that still believes it leads cannot apply a stale plan.
 */
final class EnsembleDriver {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleDriver.class);

    private final ZooKeeperClusterStore store;
    private final EnsembleKeys keys;
    private final String self;
    private final Predicate<String> removedFromPool;
    private final Duration candidateTimeout;
    private final Clock clock;
    private final Absences absences;
    private final Map<String, Instant> candidateSince = new HashMap<>();
    private final Map<String, Instant> passedOverUntil = new HashMap<>();
    private String lastWaiting = "";

    EnsembleDriver(ZooKeeperClusterStore store, EnsembleKeys keys, String self, Predicate<String> removedFromPool,
                   Duration goneAfter, Duration candidateTimeout, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.self = self;
        this.removedFromPool = removedFromPool;
        this.candidateTimeout = candidateTimeout;
        this.clock = clock;
        this.absences = new Absences(goneAfter);
    }

    /** One pass; throws on store or ZooKeeper trouble (the next pass starts over). */
    /** Plans and applies one round; true when candidates' servers are still coming up (check again soon). */
    boolean reconcile(EnsembleReconfigurer reconfigurer) {
        EnsembleConfig cfg = reconfigurer.config();
        Map<String, Versioned> stored = new LinkedHashMap<>();
        for (Versioned v : store.children(keys.nodes())) {
            stored.put(v.name(), v);
        }
        Map<String, EnsembleNode> nodes = new LinkedHashMap<>();
        stored.forEach((id, v) -> nodes.put(id, Json.read(v.value(), EnsembleNode.class)));
        Set<String> alive = store.children(keys.alive()).stream().map(Versioned::name).collect(Collectors.toSet());
        Instant now = clock.instant();
        absences.observe(nodes.keySet(), alive, now);
        passedOverUntil.values().removeIf(until -> !now.isBefore(until));

        Map<Integer, EnsembleNode> bySid = new HashMap<>();
        nodes.values().forEach(n -> bySid.put(n.serverId(), n));
        List<Integer> joinOrder = new ArrayList<>();
        Set<Integer> gone = new HashSet<>();
        Set<Integer> unavailable = new HashSet<>();
        // voters without a record (not expected) come first and count as gone: they are replaced
        for (int id : cfg.ids()) {
            if (!bySid.containsKey(id)) {
                joinOrder.add(id);
                gone.add(id);
            }
        }
        List<EnsembleNode> ordered = nodes.values().stream().sorted(Comparator.comparingLong(EnsembleNode::joinSeq)).toList();
        for (EnsembleNode n : ordered) {
            joinOrder.add(n.serverId());
            if (isRemoved(n) || absences.goneForGood(n.nodeId(), now)) {
                gone.add(n.serverId());
            } else if (!alive.contains(n.nodeId()) || passedOverUntil.containsKey(n.nodeId())) {
                unavailable.add(n.serverId());
            }
        }
        EnsemblePlan plan = EnsemblePlan.of(joinOrder, gone, unavailable, cfg.ids());
        if (!plan.isEmpty()) {
            LOG.debug("ensemble {}: plan {} (gone {}, unavailable {})", cfg, plan, gone, unavailable);
        }

        assignRoles(nodes, stored, cfg, plan);
        candidateSince.keySet().retainAll(plan.add().stream().map(bySid::get).map(EnsembleNode::nodeId).toList());
        if (!plan.add().isEmpty()) {
            cfg = addCandidates(reconfigurer, cfg, plan.add().stream().map(bySid::get).toList(), now);
            if (cfg == null) {
                return true;
            }
        }
        if (!plan.remove().isEmpty()) {
            cfg = removeVoters(reconfigurer, cfg, plan.remove(), bySid);
        }
        forgetRemoved(nodes, stored, cfg);
        return false;
    }

    private boolean isRemoved(EnsembleNode n) {
        if (n.removed()) {
            return true;
        }
        try {
            return removedFromPool.test(n.nodeId());
        } catch (RuntimeException e) {
            LOG.debug("cannot tell whether {} left the pool: {}", n.nodeId(), e.getMessage());
            return false;
        }
    }

    /** VOTER for configuration members, CANDIDATE for nodes to add, CLIENT for everyone else. */
    private void assignRoles(Map<String, EnsembleNode> nodes, Map<String, Versioned> stored, EnsembleConfig cfg, EnsemblePlan plan) {
        for (EnsembleNode n : nodes.values()) {
            EnsembleRole wanted = cfg.contains(n.serverId()) ? EnsembleRole.VOTER
                    : plan.add().contains(n.serverId()) ? EnsembleRole.CANDIDATE : EnsembleRole.CLIENT;
            if (n.role() != wanted && !n.removed()) {
                setRole(n, stored.get(n.nodeId()), wanted);
            }
        }
    }

    private void setRole(EnsembleNode n, Versioned v, EnsembleRole role) {
        try {
            store.update(v.key(), Json.write(n.withRole(role)), v.version());
            LOG.info("ensemble: node {} (server {}) is now {}", n.nodeId(), n.serverId(), role);
        } catch (StoreConflictException e) {
            LOG.debug("record of {} changed meanwhile; next pass", n.nodeId());
        }
    }

    /** Adds every candidate once all serve; null when it is still waiting for some. */
    private EnsembleConfig addCandidates(EnsembleReconfigurer reconfigurer, EnsembleConfig cfg, List<EnsembleNode> candidates,
                                         Instant now) {
        List<EnsembleNode> waiting = new ArrayList<>();
        for (EnsembleNode c : candidates) {
            candidateSince.putIfAbsent(c.nodeId(), now);
            if (!serves(c.member())) {
                waiting.add(c);
            }
        }
        if (!waiting.isEmpty()) {
            for (EnsembleNode c : waiting) {
                if (!now.isBefore(candidateSince.get(c.nodeId()).plus(candidateTimeout))) {
                    LOG.warn("ensemble: the server of candidate {} ({}) did not serve within {} s; passing it over for as long",
                            c.nodeId(), c.member().clientAddress(), candidateTimeout.toSeconds());
                    passedOverUntil.put(c.nodeId(), now.plus(candidateTimeout));
                    candidateSince.remove(c.nodeId());
                }
            }
            String ids = waiting.stream().map(EnsembleNode::nodeId).toList().toString();
            if (!ids.equals(lastWaiting)) {
                LOG.info("ensemble: waiting for the servers of candidates {} to follow the ensemble", ids);
                lastWaiting = ids;
            }
            return null;
        }
        lastWaiting = "";
        for (EnsembleNode c : candidates) {
            cfg = reconfigurer.addVoter(c.member(), cfg.version());
            candidateSince.remove(c.nodeId());
            LOG.info("ensemble: added voter {} (node {}); voters now {}", c.serverId(), c.nodeId(), cfg);
            store.get(keys.node(c.nodeId())).ifPresent(v -> setRole(c, v, EnsembleRole.VOTER));
        }
        return cfg;
    }

    private EnsembleConfig removeVoters(EnsembleReconfigurer reconfigurer, EnsembleConfig cfg, List<Integer> remove,
                                        Map<Integer, EnsembleNode> bySid) {
        List<Integer> order = new ArrayList<>(remove);
        Integer mine = bySid.values().stream().filter(n -> n.nodeId().equals(self)).map(EnsembleNode::serverId).findFirst().orElse(null);
        if (mine != null && order.remove(mine)) {
            order.add(mine);
        }
        for (int id : order) {
            List<Member> staying = cfg.members().stream().filter(m -> m.id() != id).toList();
            long serving = staying.stream().filter(EnsembleDriver::serves).count();
            if (staying.isEmpty() || serving * 2 <= staying.size()) {
                LOG.warn("ensemble: not removing voter {}: only {} of the {} voters that would stay serve", id, serving, staying.size());
                break;
            }
            cfg = reconfigurer.removeVoter(id, cfg.version());
            LOG.info("ensemble: removed voter {}; voters now {}", id, cfg);
            EnsembleNode n = bySid.get(id);
            if (n != null && !n.removed()) {
                store.get(keys.node(n.nodeId())).ifPresent(v -> setRole(n, v, EnsembleRole.CLIENT));
            }
        }
        return cfg;
    }

    /** Deletes the records (and server id claims) of removed nodes whose servers are out of the configuration. */
    private void forgetRemoved(Map<String, EnsembleNode> nodes, Map<String, Versioned> stored, EnsembleConfig cfg) {
        for (EnsembleNode n : nodes.values()) {
            if (isRemoved(n) && !cfg.contains(n.serverId())) {
                Versioned v = stored.get(n.nodeId());
                try {
                    store.commit(List.of(StoreOp.delete(v.key(), v.version()), StoreOp.delete(keys.id(n.serverId()))));
                    LOG.info("ensemble: node {} left the pool; its record and server id {} are free", n.nodeId(), n.serverId());
                } catch (StoreConflictException e) {
                    LOG.debug("record of removed node {} changed meanwhile; next pass", n.nodeId());
                }
            }
        }
    }

    /** Whether a member's server answers as part of a serving ensemble. */
    static boolean serves(Member m) {
        return FourLetterWords.mode(m.host(), m.clientPort())
                .filter(mode -> mode.equals("leader") || mode.equals("follower") || mode.equals("observer")).isPresent();
    }

    /** Forgets what this driver observed (it no longer drives). */
    void reset() {
        absences.reset();
        candidateSince.clear();
        passedOverUntil.clear();
        lastWaiting = "";
    }
}
