package dev.gdkit.volgen.template;

import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.BrickType;
import dev.gdkit.api.model.Subvolume;
import dev.gdkit.api.model.SubvolumeType;
import dev.gdkit.api.model.Volume;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.volgen.catalog.GlusterBoolean;
import dev.gdkit.volgen.catalog.VolOptEntry;
import dev.gdkit.volgen.catalog.VolOptMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What templates see of one volume: its bricks with their global index and subvolume, and the
 * effective value of every option (volume, then cluster, then the map default). Built once per
 * generation; immutable afterwards.
 */
public final class VolumeContext {
    private final VolgenRequest request;
    private final Volume volume;
    private final VolOptMap map;
    private final Map<String, String> explicit;
    private final List<Brick> bricks;
    private final List<Integer> brickSubvol;
    private final int[] sharedCount;
    private final boolean replicate;
    private final boolean disperse;
    /** Per map entry, in map order: the value to write (explicit or the entry's own default), "" for none. */
    private final List<Map.Entry<VolOptEntry, String>> entryValues;

    public VolumeContext(VolgenRequest request, VolOptMap map) {
        this.request = request;
        this.volume = request.volume();
        this.map = map;
        Map<String, String> ex = new HashMap<>(request.clusterOptions());
        ex.putAll(volume.options());
        this.explicit = ex;
        this.bricks = new ArrayList<>();
        this.brickSubvol = new ArrayList<>();
        boolean rep = false;
        boolean disp = false;
        for (int s = 0; s < volume.subvolumes().size(); s++) {
            Subvolume sv = volume.subvolumes().get(s);
            rep |= sv.type() == SubvolumeType.REPLICATE;
            disp |= sv.type() == SubvolumeType.DISPERSE;
            for (Brick b : sv.bricks()) {
                bricks.add(b);
                brickSubvol.add(s);
            }
        }
        this.replicate = rep;
        this.disperse = disp;
        Map<String, Integer> perDisk = new HashMap<>();
        List<String> disks = new ArrayList<>();
        for (Brick b : bricks) {
            String disk = b.node().value() + "\u0000" + request.brickFilesystems().getOrDefault(b.id(), "");
            disks.add(disk);
            perDisk.merge(disk, 1, Integer::sum);
        }
        this.sharedCount = disks.stream().mapToInt(perDisk::get).toArray();
        List<Map.Entry<VolOptEntry, String>> ev = new ArrayList<>();
        for (VolOptEntry e : map.entries()) {
            String v = explicit.getOrDefault(e.key(), e.defaultValue());
            ev.add(Map.entry(e, v));
        }
        this.entryValues = List.copyOf(ev);
    }

    public Volume volume() {
        return volume;
    }

    public VolgenRequest request() {
        return request;
    }

    public List<Brick> bricks() {
        return bricks;
    }

    /** The index in {@link Volume#subvolumes()} of the subvolume holding brick {@code i}. */
    public int subvolumeOf(int brickIndex) {
        return brickSubvol.get(brickIndex);
    }

    /** How many bricks of this volume share brick {@code i}'s node and file system. */
    public int sharedBrickCount(int brickIndex) {
        return sharedCount[brickIndex];
    }

    /** The effective value of a key: set on the volume, else on the cluster, else its map default. */
    public String option(String key) {
        String v = explicit.get(key);
        return v != null ? v : map.defaultValue(key);
    }

    /** Every non-special map entry with the value it contributes ("" when none), in map order. */
    public List<Map.Entry<VolOptEntry, String>> entryValues() {
        return entryValues;
    }

    /** Whether the effective value of a key reads as true. */
    public boolean enabled(String key) {
        return GlusterBoolean.isTrue(option(key));
    }

    public boolean hasReplicate() {
        return replicate;
    }

    public boolean hasDisperse() {
        return disperse;
    }

    /** Whether a rebalance volfile applies: more bricks than one distribute leaf holds. */
    public boolean distributed() {
        if (volume.subvolumes().isEmpty()) {
            return false;
        }
        Subvolume first = volume.subvolumes().get(0);
        int leaf = first.type() == SubvolumeType.DISTRIBUTE ? 1 : first.bricks().size();
        return bricks.size() > leaf;
    }

    public static boolean isArbiter(Brick b) {
        return b.type() == BrickType.ARBITER;
    }
}
