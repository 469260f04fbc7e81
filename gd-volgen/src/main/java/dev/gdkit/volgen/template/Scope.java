package dev.gdkit.volgen.template;

import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Subvolume;

/**
 * Where in a graph a template string is expanded: the volume, and the brick or subvolume the
 * translator stands for, when any.
 *
 * @param volume the volume context
 * @param brickIndex the global brick index, or -1
 * @param subvolIndex the subvolume index, or -1
 * @param clients the client translator names of the subvolume (for {@code subvol.clients}), or null
 * @param leaves how many children the distribute translator has (per-leaf positions), or 0
 */
record Scope(VolumeContext volume, int brickIndex, int subvolIndex, String clients, int leaves) {
    static Scope ofVolume(VolumeContext v) {
        return new Scope(v, -1, -1, null, 0);
    }

    Scope withBrick(int i) {
        return new Scope(volume, i, volume.subvolumeOf(i), null, 0);
    }

    Scope withSubvol(int s, String clientNames) {
        return new Scope(volume, -1, s, clientNames, 0);
    }

    Scope withLeaves(int n) {
        return new Scope(volume, brickIndex, subvolIndex, clients, n);
    }

    Brick brick() {
        if (brickIndex < 0) {
            throw dev.gdkit.api.error.GdException.invalid("invalid volgen template: a brick expression is used where there is "
                    + "no brick in this template position", "use brick.* expressions only in client translators and brick graphs");
        }
        return volume.bricks().get(brickIndex);
    }

    Subvolume subvol() {
        if (subvolIndex < 0) {
            throw dev.gdkit.api.error.GdException.invalid("invalid volgen template: a subvolume expression is used where there "
                    + "is no subvolume in this template position", "use subvol.* expressions only in cluster translators");
        }
        return volume.volume().subvolumes().get(subvolIndex);
    }
}
