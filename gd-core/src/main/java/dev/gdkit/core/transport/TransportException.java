package dev.gdkit.core.transport;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import java.util.List;

/**
 * The transport could not complete a call: the peer could not be reached, refused the connection
 * (for example a TLS failure), or the deadline ran out. {@link #outcomeUnknown()} is true when the
 * request may have reached the peer and run there (deadline, connection broken mid-call), false
 * when it surely did not (nothing listens, connection refused, handshake refused).
 */
public class TransportException extends GdException {
    private final String address;
    private final boolean outcomeUnknown;

    public TransportException(ErrorCode code, String address, String message, String remedy, boolean outcomeUnknown,
                              Throwable cause) {
        super(code, message, remedy, List.of(), cause);
        this.address = address;
        this.outcomeUnknown = outcomeUnknown;
    }

    public static TransportException unreachable(String address, String why, boolean outcomeUnknown, Throwable cause) {
        return new TransportException(ErrorCode.NODE_UNREACHABLE, address, "node at " + address + " is unreachable: " + why,
                "check that the node is running and that the network between the nodes works", outcomeUnknown, cause);
    }

    /** The address that was dialled. */
    public String address() {
        return address;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
