package dev.gdkit.zookeeper.ensemble;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.store.StoreUnavailableException;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer.Member;
import dev.gdkit.zookeeper.embedded.EnsembleConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
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
    private final Duration timeout;

    /** Connects to the ensemble at {@code connectString} as the digest superuser {@code superUser:password}. */
    public EnsembleReconfigurer(String connectString, String superUser, String password, Duration timeout) {
        this.timeout = timeout;
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
        return parse(configText());
    }

    /** The committed configuration (voters and version), read after a sync with the leader. */
    public EnsembleConfig config() {
        return EnsembleConfig.parse(configText());
    }

    private String configText() {
        try {
            CompletableFuture<Void> synced = new CompletableFuture<>();
            admin.sync(ZooDefs.CONFIG_NODE, (rc, path, ctx) -> synced.complete(null), null);
            synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            byte[] config = admin.getConfig(false, new Stat());
            return new String(config, StandardCharsets.UTF_8);
        } catch (KeeperException e) {
            throw failure("reading the ensemble configuration", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StoreUnavailableException("the ensemble did not answer a sync within " + timeout.toMillis() + " ms", false, e);
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
        addVoter(member, -1);
    }

    /**
     * Adds {@code member} as a voter if the committed configuration is still at {@code fromVersion}
     * ({@code -1}: whatever it is); its server must already run and follow the ensemble.
     */
    public EnsembleConfig addVoter(Member member, long fromVersion) {
        String spec = "server." + member.id() + "=" + member.host() + ":" + member.quorumPort() + ":" + member.electionPort()
                + ":participant;" + member.host() + ":" + member.clientPort();
        return reconfigure("adding voter " + member.id(), List.of(spec), null, fromVersion);
    }

    /** Removes voter {@code id}. */
    public void removeVoter(int id) {
        removeVoter(id, -1);
    }

    /** Removes voter {@code id} if the committed configuration is still at {@code fromVersion} ({@code -1}: whatever it is). */
    public EnsembleConfig removeVoter(int id, long fromVersion) {
        return reconfigure("removing voter " + id, null, List.of(Integer.toString(id)), fromVersion);
    }

    private EnsembleConfig reconfigure(String what, List<String> joining, List<String> leaving, long fromVersion) {
        try {
            byte[] result = admin.reconfigure(joining, leaving, null, fromVersion, new Stat());
            String text = new String(result, StandardCharsets.UTF_8);
            LOG.info("ensemble reconfigured ({}): {}", what, text.replace('\n', ' '));
            return EnsembleConfig.parse(text);
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
            case BADVERSION -> new GdException(ErrorCode.STORE_CONFLICT, "ZooKeeper refused " + what
                    + ": the configuration changed meanwhile", "read the configuration again and plan again");
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
