package dev.gdkit.testkit.contract;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.inprocess.InProcessNetwork;
import dev.gdkit.core.transport.inprocess.InProcessTransport;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;

/** The Transport contract on gd-core's in-process transport. */
class InProcessTransportContractTest extends TransportContract {
    private final InProcessNetwork network = new InProcessNetwork();

    @Override
    protected Transport newTransport(NodeId node) {
        return network.transport(node.value() + "-" + UUID.randomUUID());
    }

    @Override
    protected String unusedAddress() {
        return InProcessNetwork.address("nobody-" + UUID.randomUUID());
    }

    @Override
    protected boolean loseReplies(Transport from, Transport to) {
        network.dropReplies(((InProcessTransport) from).name(), ((InProcessTransport) to).name());
        return true;
    }

    @Override
    protected boolean partition(Transport a, Transport b) {
        network.partition(((InProcessTransport) a).name(), ((InProcessTransport) b).name());
        return true;
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }
}
