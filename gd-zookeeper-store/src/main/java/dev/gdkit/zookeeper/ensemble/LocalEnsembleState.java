package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.core.node.LocalState;
import dev.gdkit.zookeeper.embedded.EnsembleConfig;
import java.util.Optional;

/**
 * What a node keeps about the ensemble in its own durable state, so it can restart (and reach
 * the store) without any other node: its server id and ports, the last configuration it saw and
 * whether it is a voter in it, whether it registered and whether it was removed.
 */
final class LocalEnsembleState {
    static final String SERVER_ID = "ensemble.server-id";
    static final String CLIENT_PORT = "ensemble.client-port";
    static final String QUORUM_PORT = "ensemble.quorum-port";
    static final String ELECTION_PORT = "ensemble.election-port";
    static final String CONFIG = "ensemble.config";
    static final String CONNECT = "ensemble.connect";
    static final String VOTER = "ensemble.voter";
    static final String REGISTERED = "ensemble.registered";
    static final String REMOVED = "ensemble.removed";

    private final LocalState state;

    LocalEnsembleState(LocalState state) {
        this.state = state;
    }

    /** The node's three ports: client, quorum, election (0 where none is chosen yet). */
    int[] ports() {
        return new int[] {intOf(CLIENT_PORT), intOf(QUORUM_PORT), intOf(ELECTION_PORT)};
    }

    void ports(int client, int quorum, int election) {
        putIfChanged(CLIENT_PORT, Integer.toString(client));
        putIfChanged(QUORUM_PORT, Integer.toString(quorum));
        putIfChanged(ELECTION_PORT, Integer.toString(election));
    }

    Optional<Integer> serverId() {
        int id = intOf(SERVER_ID);
        return id > 0 ? Optional.of(id) : Optional.empty();
    }

    void serverId(int id) {
        putIfChanged(SERVER_ID, Integer.toString(id));
    }

    Optional<EnsembleConfig> config() {
        return state.get(CONFIG).filter(s -> !s.isEmpty()).map(EnsembleConfig::parse);
    }

    /** Remembers the configuration (and the connect string it gives) when it differs from the one kept. */
    void config(EnsembleConfig config) {
        putIfChanged(CONFIG, config.text());
        if (!config.members().isEmpty()) {
            putIfChanged(CONNECT, config.connectString());
        }
    }

    Optional<String> connectString() {
        return state.get(CONNECT).filter(s -> !s.isEmpty());
    }

    void connectString(String connect) {
        putIfChanged(CONNECT, connect);
    }

    boolean voter() {
        return flag(VOTER);
    }

    void voter(boolean v) {
        putIfChanged(VOTER, Boolean.toString(v));
    }

    boolean registered() {
        return flag(REGISTERED);
    }

    void registered(boolean v) {
        putIfChanged(REGISTERED, Boolean.toString(v));
    }

    boolean removed() {
        return flag(REMOVED);
    }

    void removed(boolean v) {
        putIfChanged(REMOVED, Boolean.toString(v));
    }

    /** Forgets the pool: server id, configuration, connect string, flags. The ports stay. */
    void forgetPool() {
        putIfChanged(SERVER_ID, "");
        putIfChanged(CONFIG, "");
        putIfChanged(CONNECT, "");
        voter(false);
        registered(false);
        removed(false);
    }

    private boolean flag(String key) {
        return Boolean.parseBoolean(state.get(key).orElse("false"));
    }

    private int intOf(String key) {
        String v = state.get(key).orElse("");
        return v.isEmpty() ? 0 : Integer.parseInt(v);
    }

    private void putIfChanged(String key, String value) {
        if (!state.get(key).orElse("").equals(value)) {
            state.put(key, value);
        }
    }
}
