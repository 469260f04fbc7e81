package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which nodes of a pool should be ZooKeeper voters, and the changes that get there from the
 * current voters. Pure: no ZooKeeper, so the policy is tested on its own.
 *
 * <p>Policy: the voters are the first nodes in join order that are not gone for good: 1 voter for
 * a pool of 1 or 2 nodes (a second voter would make both nodes necessary), 3 for a pool of 3 or 4,
 * 5 from 5 nodes on. When a voter is gone for good it is removed and the next node in join order is
 * promoted. Changes are ordered so that the ensemble never shrinks below what it needs: additions
 * first, then removals, one server per reconfiguration.
 *
 * <p>Nodes that are down but not gone for good ("unavailable") still count for the size, keep
 * their vote if they have one, and are not chosen as new voters. A plan never grows the ensemble
 * to an even number of voters: when it cannot find enough available nodes, it leaves out the
 * last new one (an even ensemble needs more servers for a quorum and tolerates no more failures).
 *
 * @param voters the voters wanted, in join order
 * @param add the nodes to add as voters, in order
 * @param remove the voters to remove, in order
 */
public record EnsemblePlan(List<Integer> voters, List<Integer> add, List<Integer> remove) {
    public EnsemblePlan {
        voters = List.copyOf(voters);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    /** How many voters a pool of {@code live} nodes gets. */
    public static int targetSize(int live) {
        if (live <= 0) {
            return 0;
        }
        if (live < 3) {
            return 1;
        }
        return live < 5 ? 3 : 5;
    }

    /**
     * The plan for a pool.
     *
     * @param joinOrder every node id of the pool, in the order they joined
     * @param gone the nodes that are gone for good (removed from the pool, or declared dead)
     * @param currentVoters the ensemble's voters now
     */
    public static EnsemblePlan of(List<Integer> joinOrder, Set<Integer> gone, Set<Integer> currentVoters) {
        return of(joinOrder, gone, Set.of(), currentVoters);
    }

    /**
     * The plan for a pool some of whose nodes are down for now.
     *
     * @param joinOrder every node id of the pool, in the order they joined
     * @param gone the nodes that are gone for good (removed from the pool, or declared dead)
     * @param unavailable the nodes that cannot become voters now (down, or their server does not start); they still count for the size
     * @param currentVoters the ensemble's voters now
     */
    public static EnsemblePlan of(List<Integer> joinOrder, Set<Integer> gone, Set<Integer> unavailable, Set<Integer> currentVoters) {
        if (new LinkedHashSet<>(joinOrder).size() != joinOrder.size()) {
            throw new GdException(ErrorCode.INVALID_ARGUMENT, "join order " + joinOrder + " repeats a node", "list each node once");
        }
        for (int v : currentVoters) {
            if (!joinOrder.contains(v)) {
                throw new GdException(ErrorCode.INVALID_ARGUMENT, "voter " + v + " is not in the pool " + joinOrder,
                        "give the pool's whole join order");
            }
        }
        List<Integer> live = new ArrayList<>();
        for (int id : joinOrder) {
            if (!gone.contains(id)) {
                live.add(id);
            }
        }
        int size = targetSize(live.size());
        // keep live voters first (no needless churn), then fill in join order
        List<Integer> wanted = new ArrayList<>();
        for (int id : live) {
            if (currentVoters.contains(id) && wanted.size() < size) {
                wanted.add(id);
            }
        }
        List<Integer> added = new ArrayList<>();
        for (int id : live) {
            if (wanted.size() >= size) {
                break;
            }
            if (!wanted.contains(id) && !unavailable.contains(id)) {
                wanted.add(id);
                added.add(id);
            }
        }
        if (wanted.size() % 2 == 0 && !added.isEmpty()) {
            wanted.remove(added.get(added.size() - 1));
        }
        wanted.sort((a, b) -> Integer.compare(joinOrder.indexOf(a), joinOrder.indexOf(b)));
        List<Integer> add = new ArrayList<>();
        for (int id : wanted) {
            if (!currentVoters.contains(id)) {
                add.add(id);
            }
        }
        List<Integer> remove = new ArrayList<>();
        for (int id : joinOrder) {
            if (currentVoters.contains(id) && !wanted.contains(id)) {
                remove.add(id);
            }
        }
        return new EnsemblePlan(wanted, add, remove);
    }

    public boolean isEmpty() {
        return add.isEmpty() && remove.isEmpty();
    }
}
