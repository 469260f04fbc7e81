package dev.gdkit.zookeeper.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gdkit.core.store.StoreOp;
import dev.gdkit.core.store.Versioned;
import dev.gdkit.zookeeper.embedded.EmbeddedZooKeeperServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Size discipline: with one key per volume, no znode's data grows with the number of volumes.
 * Stores 1,000 then 10,000 volumes (plus 100 peers and their liveness) and measures every znode
 * of the cluster: the largest value stays the same; only the volumes parent's child list grows
 * (one ZooKeeper getChildren reply, about name length + 4 bytes per child).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeScaleTest {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeScaleTest.class);
    private final Path dir = ZkTesting.tempDir("gd-zk-scale");
    private EmbeddedZooKeeperServer server;

    /** The largest znode data and the largest child-name list of a tree. */
    record Sizes(int znodes, int largestValue, String largestValueKey, int largestChildList, String largestChildListKey) {
    }

    @BeforeAll
    void start() {
        server = EmbeddedZooKeeperServer.builder().baseDir(dir).build().start();
    }

    @AfterAll
    void stop() {
        server.close();
        ZkTesting.delete(dir);
    }

    private static String name(int i) {
        return String.format("vol-%05d", i);
    }

    private static byte[] volumeInfo(int i) {
        // a volume as the engine stores it: its own small document (bricks are keys of their own);
        // names are of one length so that every volume's value has the same size
        String json = "{\"name\":\"" + name(i) + "\",\"id\":\"" + java.util.UUID.nameUUIDFromBytes(("v" + i).getBytes(StandardCharsets.UTF_8))
                + "\",\"type\":\"Replicate\",\"replica\":3,\"state\":\"Started\",\"transport\":\"tcp\","
                + "\"options\":{\"performance.readdir-ahead\":\"on\",\"cluster.granular-entry-heal\":\"on\"},"
                + "\"subvols\":[\"" + name(i) + "/subvols/0\"]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void addVolumes(ZooKeeperClusterStore s, int from, int to) {
        List<StoreOp> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(StoreOp.put("volumes/" + name(i), volumeInfo(i)));
            if (batch.size() == 100) {
                s.commit(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            s.commit(batch);
        }
    }

    static Sizes measure(ZooKeeper zk, String root) throws KeeperException, InterruptedException {
        int[] count = {0};
        int[] largest = {-1, -1};
        String[] keys = {"", ""};
        walk(zk, root, count, largest, keys);
        return new Sizes(count[0], largest[0], keys[0], largest[1], keys[1]);
    }

    private static void walk(ZooKeeper zk, String path, int[] count, int[] largest, String[] keys)
            throws KeeperException, InterruptedException {
        Stat stat = new Stat();
        List<String> children = zk.getChildren(path, false, stat);
        count[0]++;
        if (stat.getDataLength() > largest[0]) {
            largest[0] = stat.getDataLength();
            keys[0] = path;
        }
        int listBytes = 0;
        for (String c : children) {
            listBytes += c.getBytes(StandardCharsets.UTF_8).length + 4;
        }
        if (listBytes > largest[1]) {
            largest[1] = listBytes;
            keys[1] = path;
        }
        for (String c : children) {
            walk(zk, path + "/" + c, count, largest, keys);
        }
    }

    @Test
    void tenThousandVolumesGrowNoZnodesValue() throws Exception {
        try (ZooKeeperClusterStore s = ZooKeeperClusterStore.builder().connectString(server.connectString()).namespace("scale")
                .operationTimeout(Duration.ofSeconds(30)).build()) {
            for (int p = 0; p < 100; p++) {
                s.put("peers/peer-" + p, "{\"id\":\"peer-" + p + "\",\"addresses\":[\"10.0.0." + p + ":24007\"]}");
            }
            s.session().createEphemeral("alive/peer-0", "pid 1".getBytes(StandardCharsets.UTF_8));
            ZooKeeper zk = s.curator().getZookeeperClient().getZooKeeper();

            addVolumes(s, 0, 1_000);
            Sizes at1k = measure(zk, "/gdkit/scale");
            addVolumes(s, 1_000, 10_000);
            Sizes at10k = measure(zk, "/gdkit/scale");
            LOG.info("1,000 volumes: {}", at1k);
            LOG.info("10,000 volumes: {}", at10k);

            assertThat(s.children("volumes")).hasSize(10_000).extracting(Versioned::name).contains("vol-00000", "vol-09999");
            assertThat(s.get("volumes/vol-09999").orElseThrow().value()).isEqualTo(volumeInfo(9999));
            // every volume is its own znode; nothing's value grew with the count
            assertThat(at10k.znodes() - at1k.znodes()).isEqualTo(9_000);
            assertThat(at10k.largestValue()).isEqualTo(at1k.largestValue());
            assertThat(at10k.largestValue()).isLessThan(1024);
            // what does grow: the volumes parent's child list, well under ZooKeeper's 1 MiB reply limit
            assertThat(at10k.largestChildListKey()).isEqualTo("/gdkit/scale/kv/volumes");
            assertThat(at10k.largestChildList()).isLessThan(1024 * 1024 / 4);
        }
    }
}
