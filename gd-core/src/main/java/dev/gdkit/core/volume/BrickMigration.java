package dev.gdkit.core.volume;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.Volume;
import java.util.List;

/**
 * The plugin hook that moves a volume's files off bricks that are leaving it (remove-brick start,
 * status, commit). It runs on the node that hosts the leaving bricks, inside transaction steps:
 * {@link #start} must return quickly and migrate in the background; {@link #status} reports
 * progress; {@link #stop} ends it (and must succeed when nothing runs). GlusterFS does this with a
 * rebalance process; an embedding provides it here.
 */
public interface BrickMigration {
    /** Progress of the migration off one node's leaving bricks. */
    record Status(boolean complete, long filesMoved, long failures, String message) {
        public Status {
            message = message == null ? "" : message;
        }
    }

    void start(Volume volume, List<Brick> leaving) throws Exception;

    Status status(Volume volume, List<Brick> leaving) throws Exception;

    void stop(Volume volume, List<Brick> leaving) throws Exception;

    /** No migration installed: starting one is refused with a clear error. */
    BrickMigration NONE = new BrickMigration() {
        @Override
        public void start(Volume volume, List<Brick> leaving) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "this node has no data migration installed, so the files on "
                    + leaving.stream().map(Brick::endpoint).toList() + " cannot be moved",
                    "install a BrickMigration in the volume plugin, or copy the data away and remove the bricks with force");
        }

        @Override
        public Status status(Volume volume, List<Brick> leaving) {
            return new Status(false, 0, 0, "no data migration installed");
        }

        @Override
        public void stop(Volume volume, List<Brick> leaving) {
        }

        @Override
        public String toString() {
            return "BrickMigration.NONE";
        }
    };
}
