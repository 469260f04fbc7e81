package dev.gdkit.testkit.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volume.CreateVolumeRequest;
import dev.gdkit.core.volume.VolumeKeys;
import dev.gdkit.core.volume.brick.BrickPreparer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Issue 7's acceptance scenario: 9 nodes, 8 threads, 200 volumes of mixed layouts created at once. */
class ConcurrentCreateTest {
    @Test
    void twoHundredVolumesFromEightThreadsOnNineNodes() throws Exception {
        Xattrs.assumeAvailable();
        try (VolumeCluster c = VolumeCluster.builder().nodes(9).build()) {
            List<CreateVolumeRequest> requests = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                requests.add(request(c, i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                CreateVolumeRequest r = requests.get(i);
                int coordinator = i % 9 + 1;
                var service = c.service(coordinator);
                done.add(pool.submit(() -> {
                    try {
                        service.create(r);
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(errors).isEmpty();
            List<Volume> all = c.service(5).list();
            assertThat(all).hasSize(200);
            assertThat(c.cluster().node(7).store().children(VolumeKeys.VOLUMES)).hasSize(200);
            for (Volume v : all) {
                var b = v.bricks().get(v.bricks().size() - 1);
                assertThat(Xattrs.volumeId(java.nio.file.Path.of(b.path()))).contains(BrickPreparer.xattrValue(v.id()));
            }
            assertThat(c.cluster().checker().check()).isEmpty();
        }
    }

    /** Mixed layouts: distribute 2, replica 3, arbiter, disperse 3+1... cycling over the nodes. */
    private static CreateVolumeRequest request(VolumeCluster c, int i) {
        String name = "vol" + i;
        CreateVolumeRequest.Builder b = CreateVolumeRequest.builder(name);
        int bricks;
        switch (i % 5) {
            case 0 -> bricks = 2;
            case 1 -> {
                b.replica(3);
                bricks = 3;
            }
            case 2 -> {
                b.replica(3).arbiter(1);
                bricks = 3;
            }
            case 3 -> {
                b.disperse(3).redundancy(1);
                bricks = 3;
            }
            default -> {
                b.replica(2);
                bricks = 4;
            }
        }
        for (int k = 0; k < bricks; k++) {
            b.brick(c.brick((i + k) % 9 + 1, name + "-" + k));
        }
        return b.build();
    }
}
