package dev.gdkit.examples.gdd;

import dev.gdkit.api.error.GdException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one gdd runs: where it listens and keeps its state, and which GlusterFS programs it starts.
 *
 * @param host the address every listener binds (REST, gRPC, the embedded ZooKeeper, bricks); a concrete address, not 0.0.0.0
 * @param restPort the REST port (GlusterD2's client port 24007; 0 = kernel-chosen)
 * @param peerPort the gRPC port between nodes (GlusterD2's peer port 24008; 0 = kernel-chosen)
 * @param storePort the embedded ZooKeeper's client port (2181; 0 = kernel-chosen)
 * @param quorumPort the embedded ZooKeeper's quorum port, used while the node is a voter (2888; 0 = kernel-chosen)
 * @param electionPort the embedded ZooKeeper's leader election port (3888; 0 = kernel-chosen)
 * @param voterGrace how long a node may be unreachable before it counts as gone for good and its vote moves to another node (30 s)
 * @param storeWait how long a start waits for the pool's ZooKeeper voters to form a quorum (2 min)
 * @param workdir the work directory: node state, ZooKeeper data, volfiles, pid and log files
 * @param glusterfsd the brick program
 * @param glusterfs the client program (self-heal daemon)
 * @param brickPortBase the first port tried for a brick (49152, as glusterd)
 * @param maxBodyBytes the largest request body accepted
 * @param simulateBricks run {@link SimulatedBrick} processes instead of glusterfsd and no self-heal daemon (GlusterFS absent)
 */
public record GddSettings(String host, int restPort, int peerPort, int storePort, int quorumPort, int electionPort, Duration voterGrace,
                          Duration storeWait, Path workdir, String glusterfsd, String glusterfs, int brickPortBase, int maxBodyBytes,
                          boolean simulateBricks) {
    public GddSettings {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            throw GdException.invalid("gdd must listen on a concrete address, got '" + host + "'", "give --listen 127.1.1.1 or the host's address");
        }
        Objects.requireNonNull(workdir, "workdir");
        String[] names = {"--rest-port", "--peer-port", "--store-port", "--quorum-port", "--election-port"};
        int[] ports = {restPort, peerPort, storePort, quorumPort, electionPort};
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] < 0 || ports[i] > 65535) {
                throw GdException.invalid(names[i] + " " + ports[i] + " is out of range", "give 1 to 65535, or 0 for a free port");
            }
            for (int j = 0; j < i; j++) {
                if (ports[i] != 0 && ports[i] == ports[j]) {
                    throw GdException.invalid(names[j] + " and " + names[i] + " are both " + ports[i], "give each listener its own port");
                }
            }
        }
        if (brickPortBase < 1 || brickPortBase > 65535) {
            throw GdException.invalid("--brick-port-base " + brickPortBase + " is out of range", "give 1 to 65535 (49152 as glusterd)");
        }
        if (voterGrace == null || voterGrace.toMillis() < 1) {
            throw GdException.invalid("--voter-grace " + voterGrace + " is not positive", "give the seconds a voter may be away, for example 30");
        }
        if (storeWait == null || storeWait.toMillis() < 1) {
            throw GdException.invalid("the store wait " + storeWait + " is not positive", "give a positive duration");
        }
        workdir = workdir.toAbsolutePath().normalize();
    }

    public static Builder builder(String host, Path workdir) {
        return new Builder(host, workdir);
    }

    /** Builds settings; defaults are GlusterD2's ports and Debian's GlusterFS programs. */
    public static final class Builder {
        private final String host;
        private final Path workdir;
        private int restPort = 24007;
        private int peerPort = 24008;
        private int storePort = 2181;
        private int quorumPort = 2888;
        private int electionPort = 3888;
        private Duration voterGrace = Duration.ofSeconds(30);
        private Duration storeWait = Duration.ofMinutes(2);
        private String glusterfsd = "/usr/sbin/glusterfsd";
        private String glusterfs = "/usr/sbin/glusterfs";
        private int brickPortBase = 49152;
        private int maxBodyBytes = 1 << 20;
        private boolean simulateBricks;

        private Builder(String host, Path workdir) {
            this.host = host;
            this.workdir = workdir;
        }

        public Builder restPort(int p) {
            restPort = p;
            return this;
        }

        public Builder peerPort(int p) {
            peerPort = p;
            return this;
        }

        public Builder storePort(int p) {
            storePort = p;
            return this;
        }

        public Builder quorumPort(int p) {
            quorumPort = p;
            return this;
        }

        public Builder electionPort(int p) {
            electionPort = p;
            return this;
        }

        public Builder voterGrace(Duration d) {
            voterGrace = d;
            return this;
        }

        public Builder storeWait(Duration d) {
            storeWait = d;
            return this;
        }

        public Builder glusterfsd(String p) {
            glusterfsd = p;
            return this;
        }

        public Builder glusterfs(String p) {
            glusterfs = p;
            return this;
        }

        public Builder brickPortBase(int p) {
            brickPortBase = p;
            return this;
        }

        public Builder maxBodyBytes(int n) {
            maxBodyBytes = n;
            return this;
        }

        public Builder simulateBricks(boolean b) {
            simulateBricks = b;
            return this;
        }

        public GddSettings build() {
            return new GddSettings(host, restPort, peerPort, storePort, quorumPort, electionPort, voterGrace, storeWait, workdir, glusterfsd,
                    glusterfs, brickPortBase, maxBodyBytes, simulateBricks);
        }
    }
}
