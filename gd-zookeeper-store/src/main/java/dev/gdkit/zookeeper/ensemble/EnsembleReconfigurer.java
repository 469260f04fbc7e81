package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes a running ensemble's voters with ZooKeeper's dynamic reconfiguration (3.5+), one server
 * at a time: add a member whose server already runs (it follows without a vote until added),
 * remove a member. ZooKeeper only lets a superuser reconfigure unless the servers skip ACLs:
 * give the superuser's digest credentials here and start the servers' JVM with
 * {@code -Dzookeeper.DigestAuthenticationProvider.superDigest=super:<digest>} (a JVM-global
 * property ZooKeeper reads once).
 */
public final class EnsembleReconfigurer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleReconfigurer.class);

    private final ZooKeeperAdmin admin;

    /** Connects to the ensemble at {@code connectString} as the digest superuser {@code superUser:password}. */
    public EnsembleReconfigurer(String connectString, String superUser, String password, Duration timeout) {
        CountDownLatch up = new CountDownLatch(1);
        try {
            admin = new ZooKeeperAdmin(connectString, (int) timeout.toMillis(), e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    up.countDown();
                }
            });
            if (!up.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                admin.close();
                throw new StoreUnavailableException("could not reach the ensemble at '" + connectString + "' within "
                        + timeout.toMillis() + " ms to reconfigure it", false, null);
            }
            admin.addAuthInfo("digest", (superUser + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new StoreUnavailableException("could not connect to '" + connectString + "': " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while connecting to '" + connectString + "'", false, e);
        }
    }

    /** The voters of the committed configuration: server id to its {@code server.N} value. */
    public Map<Integer, String> voters() {
        try {
            admin.sync("/zookeeper/config", (rc, path, ctx) -> { }, null);
            byte[] config = admin.getConfig(false, new Stat());
            return parse(new String(config, StandardCharsets.UTF_8));
        } catch (KeeperException e) {
            throw failure("reading the ensemble configuration", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading the ensemble configuration", false, e);
        }
    }

    static Map<Integer, String> parse(String config) {
        Map<Integer, String> out = new TreeMap<>();
        for (String line : config.split("\n")) {
            if (line.startsWith("server.")) {
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                if (!value.contains(":observer")) {
                    out.put(Integer.parseInt(line.substring("server.".length(), eq)), value);
                }
            }
        }
        return out;
    }

    /** Adds {@code member} as a voter; its server must already run with a configuration that lists it. */
    public void addVoter(Member member) {
        String spec = "server." + member.id() + "=" + member.host() + ":" + member.quorumPort() + ":" + member.electionPort()
                + ":participant;" + member.host() + ":" + member.clientPort();
        reconfigure("adding voter " + member.id(), List.of(spec), null);
    }

    /** Removes voter {@code id}. */
    public void removeVoter(int id) {
        reconfigure("removing voter " + id, null, List.of(Integer.toString(id)));
    }

    private void reconfigure(String what, List<String> joining, List<String> leaving) {
        try {
            byte[] result = admin.reconfigure(joining, leaving, null, -1, new Stat());
            LOG.info("ensemble reconfigured ({}): {}", what, new String(result, StandardCharsets.UTF_8).replace('\n', ' '));
        } catch (KeeperException e) {
            throw failure(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while " + what, true, e);
        }
    }

    private static RuntimeException failure(String what, KeeperException e) {
        return switch (e.code()) {
            case NOAUTH -> new GdException(ErrorCode.FAILED_PRECONDITION, "ZooKeeper refused " + what + ": not a superuser",
                    "give the superuser's digest credentials and start the servers with zookeeper.DigestAuthenticationProvider.superDigest");
            case RECONFIGDISABLED -> new GdException(ErrorCode.FAILED_PRECONDITION, "ZooKeeper refused " + what
                    + ": dynamic reconfiguration is disabled", "start the servers with reconfigEnabled=true");
            case NEWCONFIGNOQUORUM -> new StoreUnavailableException("ZooKeeper could not commit " + what
                    + ": the new configuration has no quorum of connected servers yet", false, e);
            case CONNECTIONLOSS, RECONFIGINPROGRESS, OPERATIONTIMEOUT -> new StoreUnavailableException("ZooKeeper did not finish " + what
                    + " (" + e.code() + ")", true, e);
            default -> new GdException(ErrorCode.INTERNAL, "ZooKeeper failed " + what + ": " + e.getMessage(), "see the server log",
                    List.of(), e);
        };
    }

    /** Ids of a configuration's voters, sorted. */
    public static List<Integer> ids(Map<Integer, String> voters) {
        return new ArrayList<>(voters.keySet());
    }

    @Override
    public void close() {
        try {
            admin.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
