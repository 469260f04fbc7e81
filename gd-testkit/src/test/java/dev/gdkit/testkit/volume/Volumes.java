package dev.gdkit.testkit.volume;

import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volume.CreateVolumeRequest;
import java.util.List;

/** Volumes tests create often. */
final class Volumes {
    private Volumes() {
    }

    /** replica 3 over n1..n3, each brick {@code <brick root>/<name>}. */
    static Volume rep3(VolumeCluster c, String name) {
        return c.service(1).create(CreateVolumeRequest.builder(name).replica(3)
                .bricks(List.of(c.brick(1, name), c.brick(2, name), c.brick(3, name))).build());
    }
}
