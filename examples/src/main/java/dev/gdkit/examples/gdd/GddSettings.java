package dev.gdkit.examples.gdd;

import dev.gdkit.api.error.GdException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How one gdd runs: where it listens and keeps its state, and which GlusterFS programs it starts.
 *
 * @param host the address every listener binds (REST, gRPC, the embedded ZooKeeper, bricks); a concrete address, not 0.0.0.0
 * @param restPort the REST port (GlusterD2's client port 24007; 0 = kernel-chosen)
 * @param peerPort the gRPC port between nodes (GlusterD2's peer port 24008; 0 = kernel-chosen)
 * @param storePort the embedded ZooKeeper's client port (2181; 0 = kernel-chosen)
 * @param workdir the work directory: node state, ZooKeeper data, volfiles, pid and log files
 * @param glusterfsd the brick program
 * @param glusterfs the client program (self-heal daemon)
 * @param brickPortBase the first port tried for a brick (49152, as glusterd)
 * @param maxBodyBytes the largest request body accepted
 * @param simulateBricks run {@link SimulatedBrick} processes instead of glusterfsd and no self-heal daemon (GlusterFS absent)
 */
public record GddSettings(String host, int restPort, int peerPort, int storePort, Path workdir, String glusterfsd,
                          String glusterfs, int brickPortBase, int maxBodyBytes, boolean simulateBricks) {
    public GddSettings {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            throw GdException.invalid("gdd must listen on a concrete address, got '" + host + "'", "give --listen 127.1.1.1 or the host's address");
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
            return new GddSettings(host, restPort, peerPort, storePort, workdir, glusterfsd, glusterfs, brickPortBase, maxBodyBytes,
                    simulateBricks);
        }
    }
}
