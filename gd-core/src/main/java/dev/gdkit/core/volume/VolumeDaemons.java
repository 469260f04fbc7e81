package dev.gdkit.core.volume;

import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Volume;
import java.util.List;

/**
 * The hook through which the volume service asks a node to run, stop and reload a volume's
 * processes (brick daemons, self-heal, clients that must re-fetch volfiles). Daemon supervision is
 * a separate part (issue 8); it plugs in here. Each method runs inside a transaction step on the
 * node concerned and may throw to fail the step; the step's undo calls the opposite method.
 */
public interface VolumeDaemons {
    /** Start the brick processes of {@code local} (this node's bricks of {@code volume}). */
    void startBricks(Volume volume, List<Brick> local) throws Exception;

    /** Stop the brick processes of {@code local}. Must succeed when they are not running. */
    void stopBricks(Volume volume, List<Brick> local) throws Exception;

    /** Volfiles of a started volume changed on this node: ask the processes using them to reload. */
    void volfilesChanged(Volume volume, List<String> fileNames) throws Exception;

    /** For nodes that manage no processes (an embedding that runs bricks itself, or tests of the configuration alone). */
    VolumeDaemons NONE = new VolumeDaemons() {
        @Override
        public void startBricks(Volume volume, List<Brick> local) {
        }

        @Override
        public void stopBricks(Volume volume, List<Brick> local) {
        }

        @Override
        public void volfilesChanged(Volume volume, List<String> fileNames) {
        }

        @Override
        public String toString() {
            return "VolumeDaemons.NONE";
        }
    };
}
