package dev.gdkit.zookeeper.embedded;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An ensemble's voters and the version of that configuration, as ZooKeeper keeps it in
 * {@code /zookeeper/config} ({@code server.N=host:quorum:election:participant;host:client} lines
 * and {@code version=HEX}). Version 0 is the configuration a server starts with before any
 * reconfiguration; every reconfiguration commits a higher version (its zxid).
 *
 * <p>Only participants are kept: gd-kit's ensembles have no observers.
 *
 * @param version the configuration's version
 * @param members the voters, sorted by id
 */
public record EnsembleConfig(long version, List<Member> members) {
    public EnsembleConfig {
        if (version < 0) {
            throw invalid("configuration version " + version + " is negative");
        }
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingInt(Member::id));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).id() == sorted.get(i - 1).id()) {
                throw invalid("the members " + members + " repeat server id " + sorted.get(i).id());
            }
        }
        members = List.copyOf(sorted);
    }

    /** Parses the text of {@code /zookeeper/config} (or a persisted copy of it). */
    public static EnsembleConfig parse(String text) {
        long version = 0;
        List<Member> members = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw invalid("configuration line '" + line + "' has no '='");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (key.equals("version")) {
                version = parseHex(value, line);
            } else if (key.startsWith("server.")) {
                int id = parseInt(key.substring("server.".length()), line);
                parseMember(id, value, line).ifPresent(members::add);
            } else {
                throw invalid("configuration line '" + line + "' is neither server.N nor version");
            }
        }
        return new EnsembleConfig(version, members);
    }

    /** {@code host:quorum:election[:participant|:observer];host:client}; empty for an observer. */
    private static Optional<Member> parseMember(int id, String value, String line) {
        String[] halves = value.split(";", 2);
        if (halves.length != 2) {
            throw invalid("server line '" + line + "' has no client address after ';'");
        }
        String[] server = halves[0].split(":");
        if (server.length < 3 || server.length > 4) {
            throw invalid("server line '" + line + "' is not host:quorum-port:election-port[:role]");
        }
        if (server.length == 4 && server[3].equals("observer")) {
            return Optional.empty();
        }
        if (server.length == 4 && !server[3].equals("participant")) {
            throw invalid("server line '" + line + "' has an unknown role '" + server[3] + "'");
        }
        String client = halves[1];
        int colon = client.lastIndexOf(':');
        if (colon < 0) {
            throw invalid("server line '" + line + "' has a client address without a port");
        }
        String clientHost = client.substring(0, colon);
        // a server listening on every address reports 0.0.0.0: clients reach it at its quorum host
        String host = clientHost.isEmpty() || clientHost.equals("0.0.0.0") ? server[0] : clientHost;
        return Optional.of(new Member(id, host, parseInt(client.substring(colon + 1), line), parseInt(server[1], line),
                parseInt(server[2], line)));
    }

    private static int parseInt(String s, String line) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw invalid("'" + s + "' in configuration line '" + line + "' is not a number");
        }
    }

    private static long parseHex(String s, String line) {
        try {
            return Long.parseLong(s.trim(), 16);
        } catch (NumberFormatException e) {
            throw invalid("'" + s + "' in configuration line '" + line + "' is not a hexadecimal version");
        }
    }

    private static GdException invalid(String message) {
        return new GdException(ErrorCode.INVALID_ARGUMENT, "ensemble configuration: " + message,
                "give ZooKeeper's configuration text: server.N=host:quorum:election:participant;host:client lines and version=HEX");
    }

    /** The {@code server.N} lines, without the version (the content of a dynamic configuration file). */
    public String serverLines() {
        return members.stream().map(m -> "server." + m.id() + "=" + m.serverLine()).collect(Collectors.joining("\n")) + "\n";
    }

    /** The whole configuration text: server lines and {@code version=HEX}; {@link #parse} reads it back. */
    public String text() {
        return serverLines() + "version=" + Long.toHexString(version) + "\n";
    }

    /** The voters' client addresses, {@code host:port,...}, for a client's connect string. */
    public String connectString() {
        return members.stream().map(Member::clientAddress).collect(Collectors.joining(","));
    }

    public Set<Integer> ids() {
        return members.stream().map(Member::id).collect(Collectors.toCollection(TreeSet::new));
    }

    public boolean contains(int id) {
        return member(id).isPresent();
    }

    public Optional<Member> member(int id) {
        return members.stream().filter(m -> m.id() == id).findFirst();
    }

    /**
     * This configuration with {@code member} added (replacing one of the same id) at version 0: what a
     * server that is about to be added starts with (ZooKeeper adopts the ensemble's newer configuration
     * when it connects).
     */
    public EnsembleConfig joining(Member member) {
        List<Member> next = new ArrayList<>(members);
        next.removeIf(m -> m.id() == member.id());
        next.add(member);
        return new EnsembleConfig(0, next);
    }

    @Override
    public String toString() {
        return "v" + Long.toHexString(version) + ids();
    }
}
