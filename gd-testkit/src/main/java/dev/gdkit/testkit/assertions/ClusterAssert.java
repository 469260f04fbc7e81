package dev.gdkit.testkit.assertions;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.testkit.cluster.SimulatedCluster;
import dev.gdkit.testkit.invariant.InvariantChecker;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** AssertJ assertions on a simulated cluster's state. */
public final class ClusterAssert extends AbstractAssert<ClusterAssert, SimulatedCluster> {
    private ClusterAssert(SimulatedCluster actual) {
        super(actual, ClusterAssert.class);
    }

    public static ClusterAssert assertThat(SimulatedCluster cluster) {
        return new ClusterAssert(cluster);
    }

    /** No invariant violation at all (see {@link InvariantChecker#check()}). */
    public ClusterAssert isConsistent() {
        List<String> v = new InvariantChecker(actual).check();
        if (!v.isEmpty()) {
            failWithMessage("expected a consistent cluster but found:%n  %s", String.join("%n  ".formatted(), v));
        }
        return this;
    }

    /** No transaction running, no lock held. */
    public ClusterAssert hasNoLocksOrJournals() {
        List<String> v = new InvariantChecker(actual).unfinished();
        if (!v.isEmpty()) {
            failWithMessage("expected no running transactions or locks but found:%n  %s", String.join("%n  ".formatted(), v));
        }
        return this;
    }

    /** The store holds the commit marker of the transaction. */
    public ClusterAssert hasCommitted(String txnId) {
        if (actual.store().snapshot(actual.namespace()).get(SimulatedCluster.COMMITTED + "/" + txnId) == null) {
            failWithMessage("expected transaction %s to be committed, but it is not", txnId);
        }
        return this;
    }

    /** Neither the store nor any node keeps anything of the transaction. */
    public ClusterAssert hasNoTraceOf(String txnId) {
        if (actual.store().snapshot(actual.namespace()).get(SimulatedCluster.COMMITTED + "/" + txnId) != null) {
            failWithMessage("expected transaction %s not to be committed, but it is", txnId);
        }
        for (NodeId n : actual.ids()) {
            if (!actual.disk(n).under("applied/" + txnId + "/").isEmpty()) {
                failWithMessage("expected no trace of transaction %s, but node %s has %s", txnId, n,
                        actual.disk(n).under("applied/" + txnId + "/").keySet());
            }
        }
        return this;
    }
}
