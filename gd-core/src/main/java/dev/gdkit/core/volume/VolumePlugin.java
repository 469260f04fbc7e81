package dev.gdkit.core.volume;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.api.model.Brick;
import dev.gdkit.api.model.OpVersion;
import dev.gdkit.api.model.Volume;
import dev.gdkit.api.model.VolumeState;
import dev.gdkit.core.json.Json;
import dev.gdkit.core.membership.StoreLayout;
import dev.gdkit.core.plugin.Plugin;
import dev.gdkit.core.store.ClusterStore;
import dev.gdkit.core.transaction.Step;
import dev.gdkit.core.transaction.StepContext;
import dev.gdkit.core.volgen.Volfile;
import dev.gdkit.core.volgen.VolgenRequest;
import dev.gdkit.core.volgen.Volgen;
import dev.gdkit.core.volume.brick.BrickFs;
import dev.gdkit.core.volume.brick.BrickPreparer;
import dev.gdkit.core.volume.brick.LocalBrickFs;
import dev.gdkit.core.volume.brick.UndoLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume service's steps, installed on every node ({@code GdNode.builder().plugin(...)}): one
 * instance per node, with that node's work directory, brick file system, volgen and daemon hook.
 *
 * <ul>
 *   <li>{@value #PREPARE_BRICKS}: checks and prepares this node's bricks (directory, volume-id).</li>
 *   <li>{@value #WRITE_VOLFILES}: renders the volume and writes the volfiles placed on this node.</li>
 *   <li>{@value #REMOVE_VOLFILES}: removes this node's volfiles of the volume.</li>
 *   <li>{@value #START_BRICKS} / {@value #STOP_BRICKS}: verify and start, or stop, this node's bricks
 *       through {@link VolumeDaemons}.</li>
 * </ul>
 * Every undo works from the node's own {@link UndoLog}, so it is exact after a crash too.
 */
public final class VolumePlugin implements Plugin {
    public static final String PREPARE_BRICKS = "volume.prepare-bricks";
    public static final String WRITE_VOLFILES = "volume.write-volfiles";
    public static final String REMOVE_VOLFILES = "volume.remove-volfiles";
    public static final String START_BRICKS = "volume.start-bricks";
    public static final String STOP_BRICKS = "volume.stop-bricks";
    public static final String MIGRATE_START = "volume.migrate-start";
    public static final String MIGRATE_STATUS = "volume.migrate-status";
    public static final String MIGRATE_STOP = "volume.migrate-stop";
    /** Output prefix of {@value #MIGRATE_STATUS}: {@code migration@<node>} holds that node's status as JSON. */
    static final String OUT_MIGRATION = "migration";
    /** Context flag of {@value #MIGRATE_STATUS}: fail unless the migration is complete. */
    static final String CTX_REQUIRE_COMPLETE = "require-complete";

    /** Context keys the service sets. */
    static final String CTX_VOLUME = "volume";
    /** The volume as the transaction leaves it, when steps before the volfiles need the volume as it was (remove-brick commit). */
    static final String CTX_VOLUME_AFTER = "volume-after";
    static final String CTX_FLAGS = "brick-flags";
    static final String CTX_BRICKS = "brick-ids";
    static final String CTX_OPVERSION = "op-version";
    static final String CTX_AUTH = "auth";
    /**
     * The volume before the transaction and the op-version it was rendered at. When set, the
     * volfile step keeps no backup: its undo renders this volume again (volgen is deterministic),
     * which costs no file copies, links or undo records on the step's path.
     */
    static final String CTX_VOLUME_BEFORE = "volume-before";
    static final String CTX_OPVERSION_BEFORE = "op-version-before";

    private static final Logger LOG = LoggerFactory.getLogger(VolumePlugin.class);

    private final Path workdir;
    private final BrickFs fs;
    private final Volgen volgen;
    private final VolumeDaemons daemons;
    private final BrickMigration migration;
    private final UndoLog undoLog;
    private final BrickPreparer preparer;
    private final VolfileDir volfiles;
    private final Object brickLock = new Object();
    private final java.time.Duration undoGrace;
    private volatile ClusterStore store;
    private static final long PRUNE_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private final java.util.concurrent.atomic.AtomicLong lastPrune = new java.util.concurrent.atomic.AtomicLong();

    private VolumePlugin(Builder b) {
        this.workdir = b.workdir.toAbsolutePath().normalize();
        this.fs = b.fs;
        this.volgen = b.volgen;
        this.daemons = b.daemons;
        this.migration = b.migration;
        this.undoLog = new UndoLog(workdir);
        this.preparer = new BrickPreparer(fs, workdir);
        this.volfiles = new VolfileDir(workdir, undoLog);
        this.undoGrace = b.undoGrace;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of one node's volume plugin. */
    public static final class Builder {
        private Path workdir;
        private BrickFs fs = LocalBrickFs.system();
        private Volgen volgen;
        private VolumeDaemons daemons = VolumeDaemons.NONE;
        private BrickMigration migration = BrickMigration.NONE;
        private java.time.Duration undoGrace = java.time.Duration.ofMinutes(10);

        /** The node's work directory: volfiles go to {@code vols/<volume>/}, undo records to {@code undo/}. Required. */
        public Builder workdir(Path p) {
            workdir = p;
            return this;
        }

        /** The brick file system (default: the real one with the kernel's mount table). */
        public Builder brickFs(BrickFs f) {
            fs = f;
            return this;
        }

        /** The volfile generator. Required. */
        public Builder volgen(Volgen v) {
            volgen = v;
            return this;
        }

        /** The daemon hook (default {@link VolumeDaemons#NONE}). */
        public Builder daemons(VolumeDaemons d) {
            daemons = d;
            return this;
        }

        /** The data migration for remove-brick (default {@link BrickMigration#NONE}). */
        public Builder migration(BrickMigration m) {
            migration = Objects.requireNonNull(m, "migration");
            return this;
        }

        /** How long undo records of finished transactions are kept before they are pruned (default 10 minutes). */
        public Builder undoRecordGrace(java.time.Duration d) {
            undoGrace = Objects.requireNonNull(d, "undoRecordGrace");
            return this;
        }

        public VolumePlugin build() {
            if (workdir == null || !workdir.isAbsolute()) {
                throw GdException.invalid("the volume plugin needs an absolute work directory, got " + workdir,
                        "call workdir(Path.of(\"/var/lib/gd\"))");
            }
            Objects.requireNonNull(volgen, "volgen");
            Objects.requireNonNull(fs, "brickFs");
            Objects.requireNonNull(daemons, "daemons");
            return new VolumePlugin(this);
        }
    }

    @Override
    public String name() {
        return "volume";
    }

    public Path workdir() {
        return workdir;
    }

    public Volgen volgen() {
        return volgen;
    }

    public VolfileDir volfiles() {
        return volfiles;
    }

    /**
     * Lets the plugin read the store of the node it is installed on, to prune undo records of
     * transactions that are over. Without it, records stay (a few bytes per brick and transaction).
     */
    public void bind(ClusterStore s) {
        this.store = s;
    }

    @Override
    public List<Step> steps() {
        return List.of(Step.of(PREPARE_BRICKS, this::prepareBricks, this::unprepareBricks),
                Step.of(WRITE_VOLFILES, this::writeVolfiles, this::restoreVolfiles),
                Step.of(REMOVE_VOLFILES, this::removeVolfiles, this::restoreVolfiles),
                Step.of(START_BRICKS, this::startBricks, this::stopBricks),
                Step.of(STOP_BRICKS, this::stopBricks, this::startBricks),
                Step.of(MIGRATE_START, ctx -> migration.start(volume(ctx), selected(ctx, volume(ctx))),
                        ctx -> migration.stop(volume(ctx), selected(ctx, volume(ctx)))),
                Step.of(MIGRATE_STATUS, this::migrationStatus, null),
                Step.of(MIGRATE_STOP, ctx -> migration.stop(volume(ctx), selected(ctx, volume(ctx))), null));
    }

    // ------------------------------------------------------------------ steps

    private void prepareBricks(StepContext ctx) throws Exception {
        prune();
        Volume v = volume(ctx);
        BrickFlags flags = Json.read(ctx.require(CTX_FLAGS).getBytes(StandardCharsets.UTF_8), BrickFlags.class);
        List<Brick> mine = selected(ctx, v);
        synchronized (brickLock) {
            int done = 0;
            try {
                for (Brick b : mine) {
                    preparer.prepare(b.endpoint(), Path.of(b.path()), v.id(), flags, undoLog, ctx.txnId(), "brick-" + b.id());
                    done++;
                }
            } catch (RuntimeException e) {
                for (Brick b : mine.subList(0, done)) {
                    try {
                        undoBrick(ctx.txnId(), b.id());
                    } catch (IOException | RuntimeException again) {
                        LOG.warn("taking back brick {} after the failure of another brick also failed: {}", b.endpoint(), again.toString());
                        e.addSuppressed(again);
                    }
                }
                throw e;
            }
        }
        LOG.info("prepared {} brick(s) of volume {}", mine.size(), v.name());
    }

    private void unprepareBricks(StepContext ctx) throws Exception {
        Volume v = volume(ctx);
        synchronized (brickLock) {
            for (Brick b : selected(ctx, v)) {
                undoBrick(ctx.txnId(), b.id());
            }
        }
    }

    private void undoBrick(String txnId, String brickId) throws IOException {
        String record = "brick-" + brickId;
        var done = undoLog.read(txnId, record, BrickPreparer.Prepared.class);
        if (done.isPresent()) {
            preparer.undo(done.get());
            undoLog.delete(txnId, record);
        }
    }

    private void writeVolfiles(StepContext ctx) throws Exception {
        Volume v = ctx.get(CTX_VOLUME_AFTER).map(j -> Json.read(j.getBytes(StandardCharsets.UTF_8), Volume.class)).orElse(volume(ctx));
        boolean rerenderUndo = ctx.get(CTX_VOLUME_BEFORE).isPresent();
        if (!rerenderUndo) {
            prune();
        }
        List<Volfile> mine = mine(ctx, v, ctx.require(CTX_OPVERSION));
        List<String> changed;
        try {
            changed = rerenderUndo ? volfiles.write(v.name(), mine) : volfiles.replace(ctx.txnId(), v.name(), mine);
        } catch (IOException e) {
            if (rerenderUndo) {
                restoreVolfiles(ctx);
            }
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "cannot write the volfiles of volume " + v.name() + " into "
                    + volfiles.dir(v.name()) + " on node " + ctx.node() + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    "make sure the node's work directory is writable and " + volfiles.dir(v.name()) + " is not taken by a file");
        }
        if (!changed.isEmpty() && v.state() == VolumeState.STARTED) {
            try {
                daemons.volfilesChanged(v, changed);
            } catch (Exception e) {
                // a failed run must leave nothing behind on this node: the old files go back
                restoreVolfiles(ctx);
                throw e;
            }
        }
    }

    /** The files this node keeps of the volume: only those are rendered. */
    private List<Volfile> mine(StepContext ctx, Volume v, String opVersion) {
        return volgen.generateKept(request(ctx, v, opVersion), Optional.of(ctx.node())).files();
    }

    private void restoreVolfiles(StepContext ctx) throws Exception {
        Optional<String> before = ctx.get(CTX_VOLUME_BEFORE);
        if (before.isPresent()) {
            // the files as the volume was: rendered again, exactly what the last committed change wrote
            Volume old = Json.read(before.get().getBytes(StandardCharsets.UTF_8), Volume.class);
            volfiles.write(old.name(), mine(ctx, old, ctx.require(CTX_OPVERSION_BEFORE)));
            return;
        }
        Volume v = volume(ctx);
        volfiles.restore(ctx.txnId(), v.name());
    }

    private void removeVolfiles(StepContext ctx) throws Exception {
        Volume v = volume(ctx);
        volfiles.replace(ctx.txnId(), v.name(), List.of());
    }

    private void startBricks(StepContext ctx) throws Exception {
        Volume v = volume(ctx);
        List<Brick> mine = selected(ctx, v);
        String want = BrickPreparer.xattrValue(v.id());
        for (Brick b : mine) {
            Path p = Path.of(b.path());
            String has = fs.exists(p) ? fs.xattrs(List.of(p), Set.of(BrickPreparer.VOLUME_ID)).getOrDefault(p, Map.of())
                    .getOrDefault(BrickPreparer.VOLUME_ID, "") : "";
            if (!has.equalsIgnoreCase(want)) {
                throw new GdException(ErrorCode.FAILED_PRECONDITION, "brick " + b.endpoint() + (fs.exists(p)
                        ? " does not carry volume " + v.name() + "'s id (found '" + has + "')" : " is missing"),
                        "check that the brick's file system is mounted; if the brick was replaced, use replace-brick");
            }
        }
        try {
            daemons.startBricks(v, mine);
        } catch (Exception e) {
            // bricks this node already started must not keep running: the engine does not undo a failed run
            try {
                daemons.stopBricks(v, mine);
            } catch (Exception again) {
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    private void stopBricks(StepContext ctx) throws Exception {
        Volume v = volume(ctx);
        List<Brick> mine = selected(ctx, v);
        try {
            daemons.stopBricks(v, mine);
        } catch (Exception e) {
            if (v.state() == VolumeState.STARTED) {
                // a half-stopped node would be left behind by a failed run: start what this node stopped again
                try {
                    daemons.startBricks(v, mine);
                } catch (Exception again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
    }

    private void migrationStatus(StepContext ctx) throws Exception {
        Volume v = volume(ctx);
        List<Brick> mine = selected(ctx, v);
        BrickMigration.Status st = migration.status(v, mine);
        if (ctx.get(CTX_REQUIRE_COMPLETE).isPresent() && !st.complete()) {
            throw new GdException(ErrorCode.FAILED_PRECONDITION, "data migration off " + mine.stream().map(Brick::endpoint).toList()
                    + " is not complete (" + st.filesMoved() + " files moved, " + st.failures() + " failures" + (st.message().isEmpty()
                    ? "" : ", " + st.message()) + ")", "wait until remove-brick status says complete, then commit; or stop it");
        }
        ctx.output(ctx.nodeKey(OUT_MIGRATION), new String(Json.write(st), StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ helpers

    /** Renders the volume as the service asked (op-version, credentials, this node's work directory). */
    List<Volfile> render(StepContext ctx, Volume v) {
        return render(ctx, v, ctx.require(CTX_OPVERSION));
    }

    private List<Volfile> render(StepContext ctx, Volume v, String opVersion) {
        return volgen.generate(request(ctx, v, opVersion)).files();
    }

    private VolgenRequest request(StepContext ctx, Volume v, String opVersion) {
        String[] auth = ctx.require(CTX_AUTH).split(":", 2);
        return VolgenRequest.builder(v).clusterOpVersion(OpVersion.of(Integer.parseInt(opVersion)))
                .credentials(auth[0], auth[1]).workdir(workdir.toString()).build();
    }

    private static Volume volume(StepContext ctx) {
        return Json.read(ctx.require(CTX_VOLUME).getBytes(StandardCharsets.UTF_8), Volume.class);
    }

    /** This node's bricks of the volume, limited to the ids in {@value #CTX_BRICKS} when given. */
    private static List<Brick> selected(StepContext ctx, Volume v) {
        Set<String> ids = ctx.get(CTX_BRICKS).map(s -> new HashSet<>(Arrays.asList(s.split(",")))).orElse(null);
        return v.bricks().stream().filter(b -> b.node().equals(ctx.node()))
                .filter(b -> ids == null || ids.contains(b.id())).toList();
    }

    private void prune() {
        ClusterStore s = store;
        long now = System.nanoTime();
        long last = lastPrune.get();
        // each old record costs a store read: look at most once per interval (the grace, at most a minute)
        long interval = Math.min(undoGrace.toNanos(), PRUNE_INTERVAL_NANOS);
        if (s == null || (last != 0 && now - last < interval) || !lastPrune.compareAndSet(last, now)) {
            return;
        }
        try {
            undoLog.prune(txn -> s.get(StoreLayout.txn(txn)).isEmpty(), undoGrace);
        } catch (RuntimeException e) {
            LOG.debug("pruning undo records skipped: {}", e.toString());
        }
    }
}
