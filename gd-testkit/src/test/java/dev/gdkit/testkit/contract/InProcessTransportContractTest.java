package dev.gdkit.testkit.contract;

import dev.gdkit.api.model.NodeId;
import dev.gdkit.core.transport.Transport;
import dev.gdkit.core.transport.inprocess.InProcessNetwork;
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

    @AfterEach
    void closeNetwork() {
        network.close();
    }
}
