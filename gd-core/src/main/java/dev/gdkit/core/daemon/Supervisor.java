package dev.gdkit.core.daemon;

import dev.gdkit.api.error.ErrorCode;
import dev.gdkit.api.error.GdException;
import dev.gdkit.core.concurrent.NamedThreads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps managed daemons running: starts them (or adopts one still running from before a restart,
 * through its pid file), restarts one that dies with a doubling backoff, gives up after the spec's
 * {@code maxRestarts} restarts in a row (a run of {@code steadyAfter} resets the count), and stops
 * them on request leaving no process behind. Thread-safe; one per node.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

    private final ProcessLauncher launcher;
    private final Duration steadyAfter;
    private final Duration stopGrace;
    private final Map<String, Entry> daemons = new ConcurrentHashMap<>();
    private final List<DaemonListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService watchers = Executors.newCachedThreadPool(new NamedThreads("gd-daemon-watch"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("gd-daemon-restart"));

    public Supervisor(ProcessLauncher launcher) {
        this(launcher, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /**
     * @param steadyAfter how long a run must last for its restart count to reset
     * @param stopGrace how long a stop waits after the polite signal before killing
     */
    public Supervisor(ProcessLauncher launcher, Duration steadyAfter, Duration stopGrace) {
        this.launcher = launcher;
        this.steadyAfter = steadyAfter;
        this.stopGrace = stopGrace;
    }

    public void addListener(DaemonListener l) {
        listeners.add(l);
    }

    /**
     * Makes sure the daemon runs under supervision: adopts it when its pid file names a live process
     * of the same program, starts it otherwise. A daemon already supervised under that name with the
     * same spec is left alone; with another spec it is restarted with the new one.
     */
    public DaemonStatus ensureRunning(DaemonSpec spec) {
        Entry existing = daemons.get(spec.name());
        if (existing != null && existing.spec.equals(spec) && existing.state != DaemonStatus.State.STOPPED
                && existing.state != DaemonStatus.State.FAILED) {
            return existing.status();
        }
        if (existing != null) {
            stop(spec.name());
        }
        Entry e = new Entry(spec);
        daemons.put(spec.name(), e);
        Optional<ManagedProcess> adopted = launcher.adopt(spec);
        if (adopted.isPresent()) {
            LOG.info("adopted running daemon {} (pid {})", spec.name(), adopted.get().pid().orElse(-1));
            e.attach(adopted.get());
        } else {
            e.attach(launcher.launch(spec));
        }
        return e.status();
    }

    /** Stops a daemon and forgets it; no restart follows. Unknown names are fine. */
    public void stop(String name) {
        Entry e = daemons.remove(name);
        if (e == null) {
            return;
        }
        e.stopRequested();
    }

    /** Asks a running daemon to reload its configuration; NOT_FOUND when it is not supervised. */
    public void reload(String name) {
        Entry e = daemons.get(name);
        if (e == null || e.process == null) {
            throw new GdException(ErrorCode.NOT_FOUND, "daemon " + name + " is not running under supervision",
                    "start it first (for a brick: start the volume)");
        }
        e.process.reload();
    }

    public Optional<DaemonStatus> status(String name) {
        return Optional.ofNullable(daemons.get(name)).map(Entry::status);
    }

    public List<DaemonStatus> statuses() {
        return daemons.values().stream().map(Entry::status).sorted(java.util.Comparator.comparing(DaemonStatus::name)).toList();
    }

    /** Stops every daemon. */
    @Override
    public void close() {
        for (String name : List.copyOf(daemons.keySet())) {
            stop(name);
        }
        timer.shutdownNow();
        watchers.shutdownNow();
    }

    /**
     * Forgets every daemon without stopping it (the host is going down but the data plane should
     * keep serving; the next supervisor adopts them through their pid files).
     */
    public void detach() {
        for (Entry e : daemons.values()) {
            e.detached = true;
        }
        daemons.clear();
        timer.shutdownNow();
        watchers.shutdownNow();
    }

    private final class Entry {
        final DaemonSpec spec;
        volatile ManagedProcess process;
        volatile DaemonStatus.State state = DaemonStatus.State.RUNNING;
        volatile int restarts;
        volatile OptionalInt lastExit = OptionalInt.empty();
        volatile long startedAt;
        volatile boolean detached;

        Entry(DaemonSpec spec) {
            this.spec = spec;
        }

        synchronized void attach(ManagedProcess p) {
            process = p;
            state = DaemonStatus.State.RUNNING;
            startedAt = System.nanoTime();
            DaemonStatus s = status();
            listeners.forEach(l -> l.started(s));
            watchers.execute(() -> watch(p));
        }

        private void watch(ManagedProcess p) {
            int code;
            try {
                code = p.waitFor();
            } catch (InterruptedException ie) {
                return;
            }
            exited(p, code);
        }

        private synchronized void exited(ManagedProcess p, int code) {
            if (p != process || detached || state == DaemonStatus.State.STOPPED) {
                return;
            }
            lastExit = OptionalInt.of(code);
            if (System.nanoTime() - startedAt > steadyAfter.toNanos()) {
                restarts = 0;
            }
            boolean again = restarts < spec.maxRestarts();
            state = again ? DaemonStatus.State.RESTARTING : DaemonStatus.State.FAILED;
            DaemonStatus s = status();
            LOG.warn("daemon {} exited with {}; {}", spec.name(), code,
                    again ? "restart " + (restarts + 1) + " of " + spec.maxRestarts() : "giving up after " + restarts + " restarts");
            listeners.forEach(l -> l.died(s, again));
            if (again) {
                long delay = spec.restartBackoff().toMillis() << Math.min(restarts, 16);
                restarts++;
                timer.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void restart() {
            if (state != DaemonStatus.State.RESTARTING || daemons.get(spec.name()) != this) {
                return;
            }
            try {
                attach(launcher.launch(spec));
            } catch (GdException e) {
                LOG.warn("restart of {} failed: {}", spec.name(), e.getMessage());
                exited(process, -1);
            }
        }

        void stopRequested() {
            ManagedProcess p;
            synchronized (this) {
                state = DaemonStatus.State.STOPPED;
                p = process;
            }
            if (p != null && p.isAlive()) {
                p.stop(stopGrace);
            }
            DaemonStatus s = status();
            listeners.forEach(l -> l.stopped(s));
        }

        DaemonStatus status() {
            ManagedProcess p = process;
            boolean alive = p != null && p.isAlive();
            DaemonStatus.State st = state == DaemonStatus.State.RUNNING && !alive ? DaemonStatus.State.RESTARTING : state;
            return new DaemonStatus(spec.name(), st, alive && p.pid().isPresent() ? p.pid() : OptionalLong.empty(), spec.port(),
                    restarts, lastExit);
        }
    }
}
