package dev.gdkit.core.store;

/** The state of a store client's session. */
public enum SessionState {
    /** Connected; ephemeral keys and locks are held. */
    CONNECTED,
    /** The connection is down but the session may still be alive; operations wait, bounded. */
    SUSPENDED,
    /**
     * The session ended (expired or the store decided the client is gone): its ephemeral keys, locks
     * and leaderships are gone. The client may reconnect with a new session; nothing is re-created
     * for it automatically.
     */
    LOST,
    /** The client was closed; terminal. */
    CLOSED
}
