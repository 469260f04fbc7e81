package dev.gdkit.testkit.volume;

import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.NodeId;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volume.VolumeDaemons;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A daemon hook that records calls and holds the set of "running" bricks; it can be told to fail a start on a node. */
final class RecordingDaemons implements VolumeDaemons {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Set<String> running = ConcurrentHashMap.newKeySet();
    final Set<NodeId> failStartOn = ConcurrentHashMap.newKeySet();
    /** Bricks whose start fails after the node's earlier bricks started. */
    final Set<String> failStartAt = ConcurrentHashMap.newKeySet();
    volatile boolean failReload;

    @Override
    public void startBricks(Volume volume, List<Brick> local) throws IOException {
        for (Brick b : local) {
            if (failStartOn.contains(b.node())) {
                throw new IOException("glusterfsd for " + b.endpoint() + " exited with status 1");
            }
        }
        for (Brick b : local) {
            if (failStartAt.contains(b.endpoint())) {
                throw new IOException("glusterfsd for " + b.endpoint() + " could not bind its port");
            }
            calls.add("start " + b.endpoint());
            running.add(b.endpoint());
        }
    }

    @Override
    public void stopBricks(Volume volume, List<Brick> local) {
        local.forEach(b -> {
            calls.add("stop " + b.endpoint());
            running.remove(b.endpoint());
        });
    }

    @Override
    public void volfilesChanged(Volume volume, List<String> fileNames) throws IOException {
        if (failReload) {
            throw new IOException("brick process did not accept the new volfile");
        }
        fileNames.forEach(f -> calls.add("reload " + f));
    }

    List<String> reloads() {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith("reload ")).map(c -> c.substring(7)).sorted().toList();
        }
    }
}
