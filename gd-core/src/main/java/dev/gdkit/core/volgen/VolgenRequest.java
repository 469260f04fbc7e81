package dev.gdkit.core.volgen;

import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.Volume;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link Volgen} needs to render one volume. Build with {@link #builder(Volume)}.
 *
 * @param volume the volume, with its explicitly set options (canonical keys)
 * @param clusterOptions options set on the whole cluster ({@code volume set all ...}); volume
 *                       options win over them
 * @param clusterOpVersion the cluster's op-version: translators and option defaults introduced later
 *                         are left out, and explicitly set options introduced later are refused
 *                         ({@code OP_VERSION_TOO_LOW})
 * @param brickPorts known listen ports by brick id. glusterd's clients find bricks through the
 *                   portmapper, so the built-in templates write no port; templates and plugins can
 *                   (the {@code ${brick.port}} expression of gd-volgen)
 * @param brickFilesystems the file-system id of each brick by brick id; bricks of this volume on the
 *                         same node and file system share the disk ({@code shared-brick-count}).
 *                         Bricks missing here count as sharing their node's one file system.
 * @param authUser the volume's internal user name (trusted clients and brick auth)
 * @param authPassword the volume's internal password
 * @param workdir glusterd's working directory (marker time-stamp file lives under it)
 */
public record VolgenRequest(Volume volume, Map<String, String> clusterOptions, OpVersion clusterOpVersion,
                            Map<String, Integer> brickPorts, Map<String, String> brickFilesystems,
                            String authUser, String authPassword, String workdir) {
    /** glusterd's default working directory. */
    public static final String DEFAULT_WORKDIR = "/var/lib/glusterd";

    public VolgenRequest {
        Objects.requireNonNull(volume, "volume");
        clusterOptions = Map.copyOf(clusterOptions);
        Objects.requireNonNull(clusterOpVersion, "clusterOpVersion");
        brickPorts = Map.copyOf(brickPorts);
        brickFilesystems = Map.copyOf(brickFilesystems);
        Objects.requireNonNull(authUser, "authUser");
        Objects.requireNonNull(authPassword, "authPassword");
        Objects.requireNonNull(workdir, "workdir");
    }

    public static Builder builder(Volume volume) {
        return new Builder(volume);
    }

    /** Builder; defaults: no cluster options, op-version 100000 (GlusterFS 10), no ports, workdir /var/lib/glusterd. */
    public static final class Builder {
        private final Volume volume;
        private Map<String, String> clusterOptions = Map.of();
        private OpVersion clusterOpVersion = OpVersion.of(100000);
        private Map<String, Integer> brickPorts = Map.of();
        private Map<String, String> brickFilesystems = Map.of();
        private String authUser = "";
        private String authPassword = "";
        private String workdir = DEFAULT_WORKDIR;

        private Builder(Volume volume) {
            this.volume = Objects.requireNonNull(volume, "volume");
        }

        public Builder clusterOptions(Map<String, String> v) {
            clusterOptions = v;
            return this;
        }

        public Builder clusterOpVersion(OpVersion v) {
            clusterOpVersion = v;
            return this;
        }

        public Builder brickPorts(Map<String, Integer> v) {
            brickPorts = v;
            return this;
        }

        public Builder brickFilesystems(Map<String, String> v) {
            brickFilesystems = v;
            return this;
        }

        public Builder credentials(String user, String password) {
            authUser = user;
            authPassword = password;
            return this;
        }

        public Builder workdir(String v) {
            workdir = v;
            return this;
        }

        public VolgenRequest build() {
            return new VolgenRequest(volume, clusterOptions, clusterOpVersion, brickPorts, brickFilesystems,
                    authUser, authPassword, workdir);
        }
    }
}
